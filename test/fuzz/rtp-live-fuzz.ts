// RTP fuzzing against a live call: random and mutated packets sent over UDP to the call's port,
// from Asterisk's RTP address and from foreign ones. The call must survive and still forward the
// caller's real audio afterwards, and its `call ended` line must account for every packet: each
// drop counted under the reason the RFC 3550 reference parse gives, the rest forwarded or
// dropped as duplicate/late, and `received === forwarded + dropped`.
import type { DaemonHarness, LogLine } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import { type ExpectedClass, expectedClass, type FuzzPacket, rtpFuzzStream } from './rtp-fuzz-packets.ts';
import { SeededRandom } from './seeded-random.ts';

export interface LiveRtpFuzzResult {
  seed: number;
  packets: number;
  /** Sending the fuzz packets only. */
  sendMs: number;
  expected: Record<ExpectedClass, number>;
  speechFrames: number;
  rtpIn: Record<string, unknown> | null;
  problems: string[];
}

export interface LiveRtpFuzzOptions {
  packets: number;
  seed: number;
  foreignShare?: number;
  /** Packets sent per turn of the event loop; more risks the kernel dropping datagrams. */
  batch?: number;
  onProgress?: (sent: number) => void;
}

const DROP_CLASSES = [
  'foreign_source',
  'too_short',
  'bad_version',
  'bad_csrc_count',
  'bad_extension',
  'bad_padding',
  'empty_payload',
  'wrong_payload_type',
] as const;

export async function runLiveRtpFuzz(
  harness: DaemonHarness,
  options: LiveRtpFuzzOptions,
): Promise<LiveRtpFuzzResult> {
  const random = new SeededRandom(options.seed);
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${text} (seed ${options.seed})`);
  const sessionIndex = harness.realtime.sessions.length;
  const call = await harness.placeCall();
  await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
  const session = await harness.realtime.waitForSession(sessionIndex);
  const media = harness.asterisk.externalMedia().find((em) => call.mediaPaths.includes(em.channelId));
  if (!media) throw new Error('the call has no externalMedia channel');
  const sentBefore = media.stats.sent;

  const expected = Object.fromEntries([...DROP_CLASSES, 'valid'].map((c) => [c, 0])) as Record<
    ExpectedClass,
    number
  >;
  const stream = rtpFuzzStream(random.fork(), { foreignShare: options.foreignShare ?? 0.1 });
  const batch = options.batch ?? 32;
  const started = performance.now();
  let foreignSent = 0;
  for (let sent = 0; sent < options.packets; sent++) {
    const packet = stream.next().value as FuzzPacket;
    expected[expectedClass(packet, 0)]++;
    if (packet.foreign) foreignSent++;
    await call.sendRtpRaw(packet.data, { foreign: packet.foreign });
    if (sent % batch === batch - 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!call.alive) {
        problem(`the call ended during the fuzz, after ${sent + 1} packets`);
        break;
      }
    }
    if (sent % 50_000 === 49_999) {
      options.onProgress?.(sent + 1);
      // The fake keeps every client message; over a million packets that is its memory, not ours.
      (session.received as unknown[]).length = 0;
      (session.appends as unknown[]).length = 0;
    }
  }
  const sendMs = performance.now() - started;
  // Let the reorder buffer's hold run out, so nothing is held when real audio comes.
  await new Promise((resolve) => setTimeout(resolve, 100));

  // The caller's real audio still reaches the model, byte for byte.
  const speech = tone(700, 400, 'ulaw');
  const mark = session.appends.length;
  const sentAudio = await call.sendAudio(speech, { realtime: false });
  const arrived = () => Buffer.concat(session.appends.slice(mark).map((a) => a.bytes)).includes(speech);
  await session.waitFor(() => arrived() || !call.alive, 5000).catch(() => undefined);
  if (!arrived()) problem('the caller’s audio after the fuzz did not reach the model');
  if (!call.alive) problem('the call did not survive the fuzz');
  const fakeSent =
    (harness.asterisk.externalMedia().find((em) => em.channelId === media.channelId)?.stats.sent ?? 0) -
    sentBefore;

  call.hangup();
  const ended = await harness.waitForCallEnded(call.channelId, 10_000);
  const rtpIn = (ended['rtpIn'] ?? null) as Record<string, unknown> | null;
  problems.push(
    ...checkAccounting(rtpIn, expected, fakeSent + foreignSent, sentAudio.delivered).map(
      (p) => `${p} (seed ${options.seed})`,
    ),
  );
  if (ended['reason'] !== 'caller_hangup')
    problem(`the call ended ${String(ended['reason'])}, not by the caller`);
  problems.push(...handlerFailures(harness.logs).map((p) => `${p} (seed ${options.seed})`));
  return {
    seed: options.seed,
    packets: options.packets,
    sendMs,
    expected,
    speechFrames: sentAudio.delivered,
    rtpIn,
    problems,
  };
}

/** The summary's rtpIn against what was sent and what each packet should have been counted as. */
export function checkAccounting(
  rtpIn: Record<string, unknown> | null,
  expected: Record<ExpectedClass, number>,
  totalSent: number,
  speechFrames: number,
): string[] {
  if (rtpIn === null) return ['the call ended without rtpIn counters'];
  const found: string[] = [];
  const received = Number(rtpIn['received']);
  const forwarded = Number(rtpIn['forwarded']);
  const dropped = Number(rtpIn['dropped']);
  const droppedBy = (rtpIn['droppedBy'] ?? {}) as Record<string, number>;
  if (received !== totalSent)
    found.push(
      `the daemon received ${received} of ${totalSent} datagrams sent (lost on loopback: send slower)`,
    );
  if (received !== forwarded + dropped)
    found.push(`received ${received} != forwarded ${forwarded} + dropped ${dropped}`);
  const sumBy = Object.values(droppedBy).reduce((a, b) => a + b, 0);
  if (sumBy !== dropped) found.push(`droppedBy adds up to ${sumBy}, dropped is ${dropped}`);
  for (const reason of DROP_CLASSES) {
    if ((droppedBy[reason] ?? 0) !== expected[reason])
      found.push(
        `dropped ${droppedBy[reason] ?? 0} as ${reason}, the reference parse says ${expected[reason]}`,
      );
  }
  const validOutcome = forwarded + (droppedBy['duplicate'] ?? 0) + (droppedBy['late'] ?? 0);
  if (validOutcome !== expected.valid + speechFrames)
    found.push(
      `forwarded ${forwarded} + duplicate ${droppedBy['duplicate'] ?? 0} + late ${droppedBy['late'] ?? 0} != ${expected.valid} valid fuzz packets + ${speechFrames} speech frames`,
    );
  if ((droppedBy['closed'] ?? 0) !== 0) found.push(`${droppedBy['closed']} dropped as closed`);
  return found;
}

/** Lines that say an event handler threw (caught, but a bug) or the daemon hit something fatal. */
export function handlerFailures(logs: readonly LogLine[]): string[] {
  return logs
    .filter(
      (line) =>
        line.level === 'fatal' ||
        line.msg === 'an ARI event handler failed' ||
        line.msg === 'uncaught exception',
    )
    .slice(0, 10)
    .map((line) => `daemon logged '${line.msg}': ${JSON.stringify(line).slice(0, 400)}`);
}
