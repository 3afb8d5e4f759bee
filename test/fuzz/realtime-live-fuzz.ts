// Realtime fuzzing against a live call: the fake server sends a stream of malformed and
// unexpected messages on the call's session. The daemon must not crash, the call must go on (a
// normal response afterwards reaches the caller whole), and what it drops must be counted: every
// message that does not decode as malformed (in the call summary; warned about in the log the
// first few times, then once per hundred), every error event in `conversation.errorEvents`.
import { decodeServerEvent } from '../../src/ai/realtime/realtime-protocol.ts';
import type { DaemonHarness } from '../support/daemon-harness.ts';
import {
  REALTIME_FUZZ_CATEGORIES,
  type RealtimeFuzzCategory,
  type RealtimeFuzzOptions,
  realtimeFuzzMessage,
} from './realtime-fuzz-messages.ts';
import { handlerFailures } from './rtp-live-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

const BENIGN_ERROR_CODES = new Set(['response_cancel_not_active']);

export interface RealtimeFuzzResult {
  seed: number;
  messages: number;
  sendMs: number;
  byCategory: Record<RealtimeFuzzCategory, number>;
  expectedMalformed: number;
  loggedMalformed: number;
  expectedErrorEvents: number;
  summaryErrorEvents: number | null;
  /** Agent audio frames the caller heard while the fuzz ran (deltas of unknown responses play). */
  framesHeardDuringFuzz: number;
  problems: string[];
}

export async function runRealtimeFuzz(
  harness: DaemonHarness,
  options: { messages: number; seed: number; onProgress?: (sent: number) => void } & RealtimeFuzzOptions,
): Promise<RealtimeFuzzResult> {
  const random = new SeededRandom(options.seed);
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${text} (seed ${options.seed})`);
  const sessionIndex = harness.realtime.sessions.length;
  const call = await harness.placeCall();
  const answered = await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
  const callId = answered['callId'];
  const session = await harness.realtime.waitForSession(sessionIndex);
  await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
  await harness.asterisk.waitFor(
    () => call.heardPayloads().length >= session.responses[0]!.audio.length,
    5000,
  );

  const byCategory = Object.fromEntries(REALTIME_FUZZ_CATEGORIES.map((c) => [c, 0])) as Record<
    RealtimeFuzzCategory,
    number
  >;
  let expectedMalformed = 0;
  let sentErrors = 0;
  const heardBefore = call.heard.length;
  const started = performance.now();
  for (let sent = 0; sent < options.messages; sent++) {
    const message = realtimeFuzzMessage(random, options);
    byCategory[message.category]++;
    let decoded: ReturnType<typeof decodeServerEvent> | null = null;
    try {
      decoded = decodeServerEvent(message.raw);
    } catch (error) {
      problem(
        `decodeServerEvent throws on ${JSON.stringify(message.raw.slice(0, 200))}: ${(error as Error).message}`,
      );
    }
    if (decoded && !decoded.ok) expectedMalformed++;
    if (decoded?.ok && decoded.event.type === 'error') {
      const code = (decoded.event.error as { code?: unknown }).code;
      if (!(typeof code === 'string' && BENIGN_ERROR_CODES.has(code))) sentErrors++;
    }
    if ((message.category === 'invalid_json' || message.category === 'not_an_event') && decoded?.ok)
      problem(
        `${message.category} message decoded as an event: ${JSON.stringify(message.raw.slice(0, 200))}`,
      );
    session.sendRaw(message.raw);
    if (sent % 16 === 15 || message.raw.length > 50_000) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!call.alive || session.closed) {
        problem(`the call or its session ended during the fuzz, after ${sent + 1} messages`);
        break;
      }
    }
    if (sent % 10_000 === 9_999) options.onProgress?.(sent + 1);
  }
  const sendMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 100));
  const framesHeardDuringFuzz = call.heard.length - heardBefore;
  if (!call.alive) problem('the call did not survive the fuzz');
  if (session.closed)
    problem(`the Realtime session was closed during the fuzz (${JSON.stringify(session.closeInfo)})`);

  // A normal turn afterwards: the caller speaks, the model answers, the caller hears all of it.
  if (call.alive && !session.closed) {
    const responseIndex = session.responses.length;
    session.emitSpeechStarted();
    session.emitSpeechStopped();
    try {
      await session.waitFor(() => session.responses[responseIndex]?.status === 'completed', 5000);
      const reply = session.responses[responseIndex]!.audio;
      await harness.asterisk.waitFor(() => call.heardPayloads().includes(reply), 10_000);
    } catch {
      problem(
        `no normal reply reached the caller after the fuzz (response ${session.responses[responseIndex]?.status ?? 'never started'})`,
      );
    }
  }

  call.hangup();
  const ended = await harness.waitForCallEnded(call.channelId, 15_000);
  if (ended['reason'] !== 'caller_hangup')
    problem(`the call ended ${String(ended['reason'])}, not by the caller`);
  const loggedMalformed = harness.logs.filter(
    (line) => line.msg === 'dropped a malformed Realtime event' && line['callId'] === callId,
  ).length;
  // Logged the first few times, then once per hundred with the running count.
  const expectedLines = Math.min(expectedMalformed, 5) + Math.floor(expectedMalformed / 100);
  if (loggedMalformed > expectedLines || loggedMalformed < Math.min(expectedMalformed, 5))
    problem(`${loggedMalformed} malformed-event warnings logged for ${expectedMalformed} sent`);
  // The fake's own error events (e.g. for a truncate of an item it never had) count too.
  const fakeErrors = session
    .sentOfType('error')
    .filter((event) => !(event.error.code && BENIGN_ERROR_CODES.has(event.error.code))).length;
  const conversation = ended['conversation'] as { errorEvents?: unknown; malformedEvents?: unknown } | null;
  const summaryErrorEvents = typeof conversation?.errorEvents === 'number' ? conversation.errorEvents : null;
  if (summaryErrorEvents !== sentErrors + fakeErrors)
    problem(
      `errorEvents ${summaryErrorEvents} in the summary, ${sentErrors} sent by the fuzz + ${fakeErrors} by the fake`,
    );
  if ((conversation?.malformedEvents ?? 0) !== expectedMalformed)
    problem(
      `malformedEvents ${String(conversation?.malformedEvents)} in the summary, ${expectedMalformed} sent`,
    );
  problems.push(...handlerFailures(harness.logs).map((p) => `${p} (seed ${options.seed})`));
  return {
    seed: options.seed,
    messages: options.messages,
    sendMs,
    byCategory,
    expectedMalformed,
    loggedMalformed,
    expectedErrorEvents: sentErrors + fakeErrors,
    summaryErrorEvents,
    framesHeardDuringFuzz,
    problems,
  };
}
