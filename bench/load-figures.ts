// The figures of one measurement window of `npm run bench:load`, from what the callers heard and
// sent and what the fake Realtime server received. Arrival times are epoch ms stamped by the
// process that received (the benchmark process for RTP, the fake's for appends), as in npm run bench.

import { duringStall, type Stall } from './listener-stalls.ts';
import type { FrameLog, LoadCall } from './load-call.ts';
import type { LoadWindowData } from './load-realtime-server.ts';

const FRAME_MS = 20;
/** Packets queued during a listener stall are stamped up to this long after it ends. */
const STALL_DRAIN_MS = 2;
/** A reply that starts this close to the window's end may not have been heard inside it. */
const REPLY_TAIL_MS = 200;

export interface WindowFigures {
  /** Calls that heard the agent during the window. */
  callsHeard: number;
  /** |interval − 20 ms| between successive frames of a talk spurt. */
  jitterMs: number[];
  /** The same, without intervals whose frames arrived while the benchmark process was stalled. */
  jitterOutsideStallsMs: number[];
  agentFrames: { heard: number; sequenceGaps: number };
  callerFrames: { sent: number; reachedModel: number };
  /** Caller RTP sent → its append at the fake Realtime server. */
  inboundMs: number[];
  /** A reply's first delta sent → the first frame of its talk spurt heard. */
  outboundMs: number[];
  /** Replies whose first frame was not heard as the start of a talk spurt. */
  outboundExcluded: number;
}

export interface WindowInputs {
  calls: readonly LoadCall[];
  log: FrameLog;
  realtime: LoadWindowData;
  stalls: readonly Stall[];
  to: number;
}

export function windowFigures(inputs: WindowInputs): WindowFigures {
  const { calls, log, realtime, stalls } = inputs;
  const figures: WindowFigures = {
    callsHeard: 0,
    jitterMs: [],
    jitterOutsideStallsMs: [],
    agentFrames: { heard: 0, sequenceGaps: 0 },
    callerFrames: { sent: log.endTag - log.firstTag, reachedModel: 0 },
    inboundMs: [],
    outboundMs: [],
    outboundExcluded: 0,
  };

  for (const call of calls) {
    const { at, sequence, marker } = call.heard;
    if (at.length > 0) figures.callsHeard++;
    figures.agentFrames.heard += at.length;
    for (let i = 1; i < at.length; i++) {
      const step = (sequence.at(i) - sequence.at(i - 1)) & 0xffff;
      if (step > 1 && step < 0x8000) figures.agentFrames.sequenceGaps += step - 1;
      if (marker.at(i) === 1) continue;
      const jitter = Math.abs(at.at(i) - at.at(i - 1) - FRAME_MS);
      figures.jitterMs.push(jitter);
      const late = (t: number) => duringStall(stalls, t, STALL_DRAIN_MS);
      if (!late(at.at(i)) && !late(at.at(i - 1))) figures.jitterOutsideStallsMs.push(jitter);
    }
  }

  const seen = new Uint8Array(figures.callerFrames.sent);
  for (let i = 0; i < realtime.appendTags.length; i++) {
    const tag = realtime.appendTags[i]!;
    const sentAt = log.sentAt(tag);
    if (Number.isNaN(sentAt) || seen[tag - log.firstTag] === 1) continue;
    seen[tag - log.firstTag] = 1;
    figures.callerFrames.reachedModel++;
    figures.inboundMs.push(realtime.appendAts[i]! - sentAt);
  }

  for (const session of realtime.sessions) {
    const call = calls[log.ownerOf(session.lastTag)];
    for (const firstDeltaAt of session.firstDeltaAts) {
      if (firstDeltaAt > inputs.to - REPLY_TAIL_MS) continue;
      const heard = call?.heard;
      const next = heard ? firstAtOrAfter(heard.at, firstDeltaAt) : -1;
      if (!heard || next >= heard.at.length || next < 0 || heard.marker.at(next) !== 1) {
        figures.outboundExcluded++;
        continue;
      }
      figures.outboundMs.push(heard.at.at(next) - firstDeltaAt);
    }
  }
  return figures;
}

function firstAtOrAfter(times: { length: number; at(i: number): number }, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times.at(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
