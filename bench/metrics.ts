// Turns what the fakes and the daemon recorded in one run into the benchmark's figures. Every
// time is an epoch-ms stamp taken by a fake (fake Asterisk in this process, fake Realtime in
// its own), so each figure is the daemon's added delay plus loopback and the fakes' own delays.
import type { HeardPacket, RequestRecord } from '../test/support/fake-asterisk/fake-asterisk.ts';
import type { SessionStats } from '../test/support/fake-realtime/realtime-stats.ts';
import { defaultReplyAudio } from '../test/support/fake-realtime/tone-audio.ts';
import type { CallerResult } from './bench-caller.ts';
import type { RunData } from './bench-run.ts';
import { duringStall } from './listener-stalls.ts';
import { tagHead } from './tagged-frames.ts';

const FRAME_MS = 20;
const FRAME_BYTES = 160;
/** Packets queued during a listener stall are stamped up to this long after it ends. */
const STALL_DRAIN_MS = 2;
/** A speech_started this long after the last frame heard found the agent already silent. */
const PLAYING_WITHIN_MS = 2 * FRAME_MS;

export interface Figures {
  answerToFirstFrameMs: number[];
  inboundMs: number[];
  outboundFirstDeltaMs: number[];
  jitterMs: number[];
  /** jitterMs without the intervals whose frames were heard during a listener stall. */
  jitterOutsideStallsMs: number[];
  bargeInMs: number[];
  /** Responses whose first frame could not be used (not heard, or other audio still queued). */
  outboundExcluded: number;
  /** speech_started events that did not interrupt audio being played. */
  bargeInExcluded: number;
  callerFrames: { sent: number; reachedModel: number };
  agentFrames: { sentByDaemon: number | null; heard: number; sequenceGaps: number; unheard: number };
  calls: { placed: number; completed: number; errors: string[]; sessions: number; unmatchedSessions: number };
  /** conversation.item.truncate the fake Realtime accepted, in measured calls' sessions. */
  truncationsAccepted: number;
}

/** The reply's first frame, to confirm a heard frame is the start of a response. */
const replyFirstFrame = defaultReplyAudio('audio/pcmu').subarray(0, FRAME_BYTES);

export function computeFigures(run: RunData): Figures {
  const { callers } = run;
  const figures: Figures = {
    answerToFirstFrameMs: [],
    inboundMs: [],
    outboundFirstDeltaMs: [],
    jitterMs: [],
    jitterOutsideStallsMs: [],
    bargeInMs: [],
    outboundExcluded: 0,
    bargeInExcluded: 0,
    truncationsAccepted: 0,
    callerFrames: { sent: 0, reachedModel: 0 },
    agentFrames: { sentByDaemon: null, heard: 0, sequenceGaps: 0, unheard: 0 },
    calls: {
      placed: callers.filter((c) => c.channelId !== null).length,
      completed: callers.filter((c) => c.completed).length,
      errors: callers.flatMap((c) => (c.error ? [`call ${c.index}: ${c.error}`] : [])),
      sessions: 0,
      unmatchedSessions: 0,
    },
  };

  for (const caller of callers) {
    const answer = answerRecord(run.requests, caller.channelId);
    const first = caller.heard[0];
    if (answer && first) figures.answerToFirstFrameMs.push(first.at - answer.at);
    for (const [index, jitter] of frameIntervalJitter(caller.heard)) {
      figures.jitterMs.push(jitter);
      const heardLate = (i: number) => duringStall(run.listenerStalls, caller.heard[i]!.at, STALL_DRAIN_MS);
      if (!heardLate(index) && !heardLate(index - 1)) figures.jitterOutsideStallsMs.push(jitter);
    }
    figures.agentFrames.heard += caller.heard.length;
    figures.agentFrames.sequenceGaps += sequenceGaps(caller.heard);
    figures.agentFrames.unheard += caller.unheard;
    figures.callerFrames.sent += caller.sent.length;
  }
  figures.agentFrames.sentByDaemon = framesSentByDaemon(run);

  // Which caller each Realtime session belongs to: the one whose tagged frames it received.
  const sentByHead = new Map<string, { caller: CallerResult; at: number }>();
  for (const caller of [...callers, ...run.warmupCallers])
    for (const frame of caller.sent) sentByHead.set(tagHead(frame.tag), { caller, at: frame.at });
  const measured = new Set(callers);
  for (const session of run.realtime.sessions) {
    const owner = session.appends.map((a) => sentByHead.get(a.head)).find((s) => s !== undefined)?.caller;
    if (!owner) {
      figures.calls.unmatchedSessions++;
      continue;
    }
    if (!measured.has(owner)) continue;
    figures.calls.sessions++;
    figures.truncationsAccepted += session.truncations.filter((t) => t.accepted).length;
    const seen = new Set<string>();
    for (const append of session.appends) {
      const sent = sentByHead.get(append.head);
      if (!sent || seen.has(append.head)) continue;
      seen.add(append.head);
      figures.inboundMs.push(append.at - sent.at);
    }
    figures.callerFrames.reachedModel += seen.size;
    outboundSamples(session, owner.heard, figures);
    bargeInSamples(session, owner.heard, figures);
  }
  return figures;
}

function answerRecord(
  requests: readonly RequestRecord[],
  channelId: string | null,
): RequestRecord | undefined {
  if (channelId === null) return undefined;
  const path = `/ari/channels/${channelId}/answer`;
  return requests.find((r) => r.method === 'POST' && r.path === path && r.status < 300);
}

/** [index, |interval − 20 ms|] for each frame that follows another in its talk spurt (a marker bit starts one). */
function frameIntervalJitter(heard: readonly HeardPacket[]): [number, number][] {
  const samples: [number, number][] = [];
  for (let i = 1; i < heard.length; i++) {
    const packet = heard[i]!;
    if (!packet.marker) samples.push([i, Math.abs(packet.at - heard[i - 1]!.at - FRAME_MS)]);
  }
  return samples;
}

/** Frames missing between the first and last heard (the pacer's sequence numbers are contiguous). */
function sequenceGaps(heard: readonly HeardPacket[]): number {
  let gaps = 0;
  for (let i = 1; i < heard.length; i++) {
    const step = (heard[i]!.sequenceNumber - heard[i - 1]!.sequenceNumber) & 0xffff;
    if (step > 1 && step < 0x8000) gaps += step - 1;
  }
  return gaps;
}

/** rtpOut.framesSent summed over the daemon's 'call ended' summaries of the benchmark's calls. */
function framesSentByDaemon(run: RunData): number | null {
  let total = 0;
  for (const caller of run.callers) {
    if (caller.channelId === null) continue;
    const ended = run.daemonLogs.find((l) => l.msg === 'call ended' && l['channelId'] === caller.channelId);
    const rtpOut = ended?.['rtpOut'] as { framesSent?: unknown } | undefined;
    if (typeof rtpOut?.framesSent !== 'number') return null;
    total += rtpOut.framesSent;
  }
  return total;
}

/** Index of the first packet heard at or after `at` (after it, if `strictly`), or heard.length. */
function firstHeardFrom(heard: readonly HeardPacket[], at: number, strictly = false): number {
  let lo = 0;
  let hi = heard.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = heard[mid]!.at;
    if (t < at || (strictly && t === at)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// A response's first delta → the first frame heard after it, when that frame opens a talk spurt
// (marker bit) and is the reply's first frame: the pacer was idle, so the delay is all overhead.
function outboundSamples(session: SessionStats, heard: readonly HeardPacket[], figures: Figures): void {
  for (const response of session.responses) {
    if (response.firstDeltaAt === null) continue;
    const packet = heard[firstHeardFrom(heard, response.firstDeltaAt)];
    if (!packet?.marker || !packet.payload.equals(replyFirstFrame)) {
      figures.outboundExcluded++;
      continue;
    }
    figures.outboundFirstDeltaMs.push(packet.at - response.firstDeltaAt);
  }
}

// speech_started (as sent) → the last frame of the talk spurt that was playing then. Counted only
// when agent audio was playing (a frame heard within the last two frame times); a daemon that
// never stopped would show here as the rest of the reply's length.
function bargeInSamples(session: SessionStats, heard: readonly HeardPacket[], figures: Figures): void {
  for (const vad of session.vadEvents) {
    if (vad.type !== 'speech_started') continue;
    const playing = firstHeardFrom(heard, vad.at, true) - 1;
    const current = heard[playing];
    if (!current || vad.at - current.at > PLAYING_WITHIN_MS) {
      figures.bargeInExcluded++;
      continue;
    }
    let end = playing;
    while (end + 1 < heard.length && !heard[end + 1]!.marker) end++;
    figures.bargeInMs.push(heard[end]!.at - vad.at);
  }
}
