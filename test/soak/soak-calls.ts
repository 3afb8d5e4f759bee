// One soak call of each kind, from placing it to its `call ended` line: the caller or the agent
// hangs up after a bit of greeting and a few caller frames, the Realtime socket drops (restored,
// or lost for good), the Realtime API refuses the session, the caller leaves while it rings or at
// once. Each kind says how its call must end.
import type { SeededRandom } from '../fuzz/seeded-random.ts';
import type { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import type { FakeCall } from '../support/fake-asterisk/fake-call.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import { waitUntil } from '../support/fake-asterisk/wait-until.ts';
import type { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';
import type { FakeRealtimeSession } from '../support/fake-realtime/fake-realtime-session.ts';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { SOAK_APP, type SoakDaemonProcess } from './soak-daemon-process.ts';
import type { ForwardedLine } from './soak-protocol.ts';

export const SOAK_CALL_KINDS = [
  'caller_hangup',
  'agent_hangup',
  'ai_dropped',
  'ai_lost',
  'realtime_refused',
  'hangup_while_ringing',
  'hangup_at_once',
] as const;
export type SoakCallKind = (typeof SOAK_CALL_KINDS)[number];

export const KIND_WEIGHTS: readonly (readonly [number, SoakCallKind])[] = [
  [40, 'caller_hangup'],
  [15, 'agent_hangup'],
  [8, 'ai_dropped'],
  [7, 'ai_lost'],
  [10, 'realtime_refused'],
  [12, 'hangup_while_ringing'],
  [8, 'hangup_at_once'],
];

/** How each kind must end: reason and what became of the caller. */
const EXPECTED: Record<SoakCallKind, { reasons: string[]; callerOutcomes: string[] }> = {
  caller_hangup: { reasons: ['caller_hangup'], callerOutcomes: ['gone'] },
  agent_hangup: { reasons: ['agent_ended'], callerOutcomes: ['hung_up'] },
  // The socket drops mid-call: the conversation is restored on a new one, the caller hangs up later.
  ai_dropped: { reasons: ['caller_hangup'], callerOutcomes: ['gone'] },
  // The socket drops and the API refuses every reconnect: the failure sound, then a hangup.
  ai_lost: { reasons: ['ai_failed'], callerOutcomes: ['played_and_hung_up'] },
  realtime_refused: { reasons: ['ai_unavailable'], callerOutcomes: ['played_and_hung_up'] },
  hangup_while_ringing: { reasons: ['caller_hangup'], callerOutcomes: ['gone'] },
  hangup_at_once: { reasons: ['caller_hangup'], callerOutcomes: ['gone'] },
};

/** A short reply for every response, so calls are quick: 200 ms of tone. */
export const SHORT_REPLY = toneAudio('audio/pcmu', [{ hz: 440, ms: 200 }]);

export interface CallContext {
  asterisk: FakeAsterisk;
  realtime: FakeRealtimeServer;
  daemon: SoakDaemonProcess;
  random: SeededRandom;
}

/** Kinds where the daemon, not the caller, hangs up. */
const DAEMON_HANGS_UP: ReadonlySet<SoakCallKind> = new Set(['agent_hangup', 'ai_lost', 'realtime_refused']);

/** One call of `kind`, start to `call ended`; returns that line. */
export async function runCall(
  ctx: CallContext,
  kind: SoakCallKind,
  random: SeededRandom,
): Promise<ForwardedLine> {
  const { asterisk, realtime, daemon } = ctx;
  const sessionIndex = realtime.sessions.length;
  if (kind === 'realtime_refused')
    realtime.setOptions({ rejectUpgrade: { status: random.pick([500, 503, 429]) } });
  // The greeting comes late, so the call is still ringing when the caller gives up.
  if (kind === 'hangup_while_ringing') realtime.setOptions({ firstAudioDelayMs: 800 });
  let call: FakeCall | undefined;
  try {
    call = await asterisk.placeCall({
      did: '1000',
      callerNumber: `+1555${String(random.int(10_000_000)).padStart(7, '0')}`,
      app: SOAK_APP,
    });
    const placed = call;
    switch (kind) {
      case 'hangup_at_once':
        // Anywhere from before the daemon saw the StasisStart to early in its preparation.
        if (random.chance(0.5)) await sleep(random.int(15));
        placed.hangup();
        break;
      case 'hangup_while_ringing':
        await waitUntil(() => placed.ringing, 5000, 'ringing');
        await sleep(random.int(40));
        if (placed.answered) throw new Error('answered before the caller hung up while ringing');
        placed.hangup();
        break;
      case 'realtime_refused':
        await placed.waitForHangup(10_000);
        break;
      default: {
        await placed.waitForState('Up', 5000);
        const session = await realtime.waitForSession(sessionIndex, 5000);
        // A bit of the greeting reaches the caller.
        const heard = random.between(2, 8);
        await waitUntil(() => placed.heard.length >= heard, 5000, `${heard} greeting frames heard`);
        // The caller says something short, paced like a phone or in one burst. Loud enough for
        // the model's VAD to hear (a barge-in) or not; before end_call always quiet, so the
        // goodbye is not cut off by a turn of the caller's.
        const loud = kind !== 'agent_hangup' && random.chance(0.5);
        const speech = tone(random.between(300, 900), random.between(2, 8) * 20, 'ulaw', loud ? 8000 : 200);
        await placed.sendAudio(speech, { realtime: random.chance(0.5) });
        await finishConversation(kind, placed, session, realtime, random);
      }
    }
    if (DAEMON_HANGS_UP.has(kind)) await placed.waitForHangup(10_000);
  } finally {
    if (kind === 'realtime_refused' || kind === 'ai_lost') realtime.setOptions({ rejectUpgrade: undefined });
    if (kind === 'hangup_while_ringing') realtime.setOptions({ firstAudioDelayMs: 0 });
  }
  return daemon.takeCallEnded(call.channelId);
}

async function finishConversation(
  kind: SoakCallKind,
  call: FakeCall,
  session: FakeRealtimeSession,
  realtime: FakeRealtimeServer,
  random: SeededRandom,
): Promise<void> {
  switch (kind) {
    case 'caller_hangup':
      if (random.chance(0.5)) await sleep(random.int(60));
      call.hangup();
      return;
    case 'ai_dropped': {
      if (random.chance(0.5)) await sleep(random.int(60));
      session.drop();
      // The daemon opens a new socket, configures it and replays the conversation.
      await waitUntil(
        () =>
          realtime.sessions.some(
            (s) => s.index > session.index && !s.closed && s.receivedOfType('session.update').length > 0,
          ),
        5000,
        'the conversation restored on a new Realtime socket',
      );
      if (random.chance(0.5)) await sleep(random.int(60));
      call.hangup();
      return;
    }
    case 'ai_lost':
      realtime.setOptions({ rejectUpgrade: { status: 503 } });
      session.drop();
      return;
    case 'agent_hangup': {
      // The model says goodbye and calls end_call once nothing else is speaking.
      await session.waitFor(() => session.activeResponseId === undefined, 5000);
      for (let attempt = 0; ; attempt++) {
        try {
          session.callTool('end_call', {}, { sayFirst: 'Goodbye.', audio: SHORT_REPLY });
          return;
        } catch (error) {
          // The caller's frames may have started a response meanwhile; wait for it to finish.
          if (attempt > 20) throw error;
          await session.waitFor(() => session.activeResponseId === undefined, 5000);
        }
      }
    }
    default:
      throw new Error(`no conversation for ${kind}`);
  }
}

/** What the `call ended` line must say for this kind, and that its RTP counters add up. */
export function checkSummary(kind: SoakCallKind, ended: ForwardedLine): string[] {
  const found: string[] = [];
  const expected = EXPECTED[kind];
  if (!expected.reasons.includes(String(ended['reason'])))
    found.push(`ended '${ended['reason']}', expected ${expected.reasons.join(' or ')}`);
  if (!expected.callerOutcomes.includes(String(ended['callerOutcome'])))
    found.push(
      `caller outcome '${ended['callerOutcome']}', expected ${expected.callerOutcomes.join(' or ')}`,
    );
  const failures = ended['releaseFailures'];
  if (Array.isArray(failures) && failures.length > 0)
    found.push(`release failures: ${JSON.stringify(failures)}`);
  const inbound = ended['rtpIn'] as { received: number; forwarded: number; dropped: number } | null;
  // The soak's caller audio is in order, so nothing is held for reordering when the call ends.
  if (inbound && inbound.received !== inbound.forwarded + inbound.dropped)
    found.push(`rtpIn does not add up: ${JSON.stringify(inbound)}`);
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
