// ARI fuzzing against a live call: malformed and unexpected events on the events socket. The
// daemon must not crash, the live call must go on (audio still flows both ways), calls started
// by StasisStarts for channels that do not exist must fail cleanly and leave nothing, and
// `daemon.events.stats` must count every message: received, malformed, unknown types.
import { decodeAriEvent } from '../../src/telephony/ari/ari-event-decoder.ts';
import type { DaemonHarness } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import {
  ARI_FUZZ_CATEGORIES,
  type AriFuzzCategory,
  type AriFuzzOptions,
  ariFuzzMessage,
  type LiveCallIds,
} from './ari-fuzz-events.ts';
import { handlerFailures } from './rtp-live-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

export interface AriFuzzResult {
  seed: number;
  messages: number;
  sendMs: number;
  byCategory: Record<AriFuzzCategory, number>;
  /** Counted by the decoder as sent (the fuzz's own messages plus the fake's real events meanwhile). */
  expected: { received: number; malformed: number; unknownTypes: number };
  counted: { received: number; malformed: number; unknownTypes: number };
  /** Calls started by StasisStarts for channels that do not exist, and how they ended. */
  phantomCalls: Record<string, number>;
  problems: string[];
}

type Counts = { received: number; malformed: number; unknownTypes: number };

function classify(text: string, into: Counts): void {
  into.received++;
  let decoded: ReturnType<typeof decodeAriEvent>;
  try {
    decoded = decodeAriEvent(text);
  } catch {
    return;
  }
  if (decoded.kind === 'malformed') into.malformed++;
  if (decoded.kind === 'unknown') into.unknownTypes++;
}

export async function runAriFuzz(
  harness: DaemonHarness,
  options: { messages: number; seed: number; onProgress?: (sent: number) => void } & AriFuzzOptions,
): Promise<AriFuzzResult> {
  const random = new SeededRandom(options.seed);
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${text} (seed ${options.seed})`);
  const daemon = harness.daemon;
  const app = harness.config.ari.app;
  const sessionIndex = harness.realtime.sessions.length;
  const call = await harness.placeCall();
  const answered = await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
  const callId = String(answered['callId']);
  const session = await harness.realtime.waitForSession(sessionIndex);
  await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
  const live: LiveCallIds = {
    app,
    callId,
    callerChannelId: call.channelId,
    ownChannelIds: harness.asterisk
      .channels()
      .map((channel) => channel.id)
      .filter((id) => id.startsWith(`${app}-`) && id.includes(callId)),
    bridgeId: `${app}-br-${callId}`,
  };
  if (live.ownChannelIds.length === 0) throw new Error(`no channels of call ${callId} in Asterisk`);

  const statsBefore = { ...daemon.events.stats };
  const eventsBefore = harness.asterisk.events.length;
  const sent: Counts = { received: 0, malformed: 0, unknownTypes: 0 };
  const byCategory = Object.fromEntries(ARI_FUZZ_CATEGORIES.map((c) => [c, 0])) as Record<
    AriFuzzCategory,
    number
  >;
  const started = performance.now();
  for (let n = 0; n < options.messages; n++) {
    const message = ariFuzzMessage(random, live, options);
    byCategory[message.category]++;
    try {
      decodeAriEvent(message.raw);
    } catch (error) {
      problem(
        `decodeAriEvent throws on ${JSON.stringify(message.raw.slice(0, 200))}: ${(error as Error).message}`,
      );
    }
    const delivered = harness.asterisk.sendRawEvent(message.raw);
    if (delivered !== 1) {
      problem(`the events socket took the message ${delivered} times (socket dropped?)`);
      break;
    }
    classify(message.raw, sent);
    if (message.category === 'garbage_stasis_start') {
      // Each may start a call that fails its setup; keep them from piling up.
      await harness.asterisk
        .waitFor(() => daemon.orchestrator.activeCalls <= 10, 10_000)
        .catch(() => undefined);
    }
    if (n % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 1));
    if (n % 10_000 === 9_999) options.onProgress?.(n + 1);
  }
  const sendMs = performance.now() - started;
  // Every phantom call ends (its setup fails); the live one goes on.
  await harness.asterisk.waitFor(() => daemon.orchestrator.activeCalls === 1, 15_000).catch(() => undefined);
  if (daemon.orchestrator.activeCalls !== 1)
    problem(`${daemon.orchestrator.activeCalls} calls active after the fuzz, expected only the live one`);
  if (!call.alive) problem('the live call did not survive the fuzz');
  if (daemon.events.state !== 'connected') problem(`the events socket is ${daemon.events.state}`);

  // Audio still flows both ways: the caller to the model, a reply back to the caller.
  if (call.alive) {
    const speech = tone(650, 300, 'ulaw');
    const mark = session.appends.length;
    await call.sendAudio(speech, { realtime: false });
    const arrived = () => Buffer.concat(session.appends.slice(mark).map((a) => a.bytes)).includes(speech);
    await session.waitFor(() => arrived(), 5000).catch(() => undefined);
    if (!arrived()) problem('the caller’s audio after the fuzz did not reach the model');
    const responseIndex = session.responses.length;
    await session.waitFor(() => session.activeResponseId === undefined, 5000).catch(() => undefined);
    try {
      session.startResponse();
      await session.waitFor(() => session.responses[responseIndex]?.status === 'completed', 5000);
      const reply = session.responses[responseIndex]!.audio;
      await harness.asterisk.waitFor(() => call.heardPayloads().includes(reply), 10_000);
    } catch (error) {
      problem(`no reply reached the caller after the fuzz: ${(error as Error).message}`);
    }
  }

  // The daemon counted every message it got: ours and the fake's real ones meanwhile.
  const genuine: Counts = { received: 0, malformed: 0, unknownTypes: 0 };
  for (const event of harness.asterisk.events.slice(eventsBefore)) classify(JSON.stringify(event), genuine);
  const expected: Counts = {
    received: sent.received + genuine.received,
    malformed: sent.malformed + genuine.malformed,
    unknownTypes: sent.unknownTypes + genuine.unknownTypes,
  };
  const counted: Counts = {
    received: daemon.events.stats.received - statsBefore.received,
    malformed: daemon.events.stats.malformed - statsBefore.malformed,
    unknownTypes: daemon.events.stats.unknownTypes - statsBefore.unknownTypes,
  };
  for (const key of ['received', 'malformed', 'unknownTypes'] as const) {
    if (counted[key] !== expected[key])
      problem(`events.stats.${key} grew by ${counted[key]}, expected ${expected[key]}`);
  }

  call.hangup();
  const ended = await harness.waitForCallEnded(call.channelId, 10_000);
  if (ended['reason'] !== 'caller_hangup')
    problem(`the live call ended ${String(ended['reason'])}, not by the caller`);
  const phantomCalls: Record<string, number> = {};
  for (const line of harness.logs) {
    if (line.msg !== 'call ended' || line['channelId'] === call.channelId) continue;
    const key = `${String(line['reason'])}/${String(line['callerOutcome'])}`;
    phantomCalls[key] = (phantomCalls[key] ?? 0) + 1;
    const failures = line['releaseFailures'];
    if (Array.isArray(failures) && failures.length > 0)
      problem(`a phantom call failed to release: ${JSON.stringify(failures)}`);
  }
  problems.push(...handlerFailures(harness.logs).map((p) => `${p} (seed ${options.seed})`));
  return {
    seed: options.seed,
    messages: options.messages,
    sendMs,
    byCategory,
    expected,
    counted,
    phantomCalls,
    problems,
  };
}
