// npm run fuzz -- --packets 1000000 [--messages 20000] [--seed N] [--only rtp-parse,rtp-port,rtp-live,realtime,ari]
// Fuzzes callbridge and prints counts and rates: RTP header parsing and one call's RTP port
// directly (fast), RTP to a live call over UDP, malformed Realtime messages and ARI events to a
// live call through the real daemon against the fakes. Exit 1 on any problem, with the seed.
import { parseArgs } from 'node:util';
import { type AriFuzzResult, runAriFuzz } from '../test/fuzz/ari-live-fuzz.ts';
import { type RealtimeFuzzResult, runRealtimeFuzz } from '../test/fuzz/realtime-live-fuzz.ts';
import { type LiveRtpFuzzResult, runLiveRtpFuzz } from '../test/fuzz/rtp-live-fuzz.ts';
import { runParseFuzz, runPortFuzz } from '../test/fuzz/rtp-unit-fuzz.ts';
import { SeededRandom } from '../test/fuzz/seeded-random.ts';
import { DaemonHarness } from '../test/support/daemon-harness.ts';
import { toneAudio } from '../test/support/fake-realtime/tone-audio.ts';

const PARTS = ['rtp-parse', 'rtp-port', 'rtp-live', 'realtime', 'ari'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    packets: { type: 'string', default: '1000000' },
    messages: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    only: { type: 'string' },
  },
});
const packets = Number(values.packets);
const messages = Number(values.messages);
if (!Number.isInteger(packets) || packets < 1) throw new Error('--packets must be a positive integer');
if (!Number.isInteger(messages) || messages < 1) throw new Error('--messages must be a positive integer');
const parts = (values.only?.split(',').map((p) => p.trim()) ?? [...PARTS]) as Part[];
for (const part of parts)
  if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part}; known: ${PARTS.join(', ')}`);
const seed = SeededRandom.seedFrom(values.seed ?? process.env['FUZZ_SEED']);

const out = (text: string) => process.stdout.write(`${text}\n`);
const rate = (count: number, ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString('en')}/s`;
const allProblems: string[] = [];
let crashed: string | null = null;
// In-process daemon: anything uncaught is a daemon crash (or ours) and must be reported, not hidden.
process.on('uncaughtException', (error) => {
  crashed = error.stack ?? String(error);
  out(`\nUNCAUGHT EXCEPTION (seed ${seed}): ${crashed}`);
  process.exit(2);
});
process.on('unhandledRejection', (reason) => {
  crashed = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  out(`\nUNHANDLED REJECTION (seed ${seed}): ${crashed}`);
  process.exit(2);
});

out(
  `fuzz: seed ${seed} (replay with --seed ${seed}), ${packets.toLocaleString('en')} packets, ${messages.toLocaleString('en')} messages`,
);

async function withHarness<T>(run: (harness: DaemonHarness) => Promise<T>): Promise<T> {
  const reply = toneAudio('audio/pcmu', [{ hz: 440, ms: 300 }]);
  const harness = await DaemonHarness.start({
    env: { LOG_LEVEL: 'info' },
    realtime: { replyAudio: () => reply },
  });
  try {
    const result = await run(harness);
    await harness
      .expectNothingLeft()
      .catch((error: Error) => allProblems.push(`left behind: ${error.message}`));
    return result;
  } finally {
    await harness.stop();
  }
}

function report(name: string, problems: readonly string[]): void {
  allProblems.push(...problems.map((p) => `${name}: ${p}`));
  out(`  ${problems.length === 0 ? 'ok' : `${problems.length} PROBLEM(S)`}`);
  for (const p of problems.slice(0, 10)) out(`    - ${p}`);
}

if (parts.includes('rtp-parse')) {
  out('\nRTP header parsing (parseRtpPacket vs the RFC 3550 reference):');
  const r = runParseFuzz({ packets, seed });
  out(
    `  ${packets.toLocaleString('en')} packets in ${(r.durationMs / 1000).toFixed(1)} s (${rate(packets, r.durationMs)})`,
  );
  out(`  verdicts: ${JSON.stringify(r.classes)}`);
  report('rtp-parse', r.problems);
}

if (parts.includes('rtp-port')) {
  out('\nOne call’s RTP port (ExternalMediaPort, every counter checked after each packet):');
  const r = await runPortFuzz({ packets, seed });
  out(
    `  ${packets.toLocaleString('en')} packets in ${(r.durationMs / 1000).toFixed(1)} s (${rate(packets, r.durationMs)})`,
  );
  out(`  expected classes: ${JSON.stringify(r.classes)}`);
  out(`  port counters: ${JSON.stringify(r.counters)}`);
  report('rtp-port', r.problems);
}

if (parts.includes('rtp-live')) {
  out('\nRTP to a live call over UDP (right and foreign sources):');
  const r: LiveRtpFuzzResult = await withHarness((harness) =>
    runLiveRtpFuzz(harness, {
      packets,
      seed,
      onProgress: (sent) => {
        if (sent % 200_000 === 0) out(`  … ${sent.toLocaleString('en')} sent`);
      },
    }),
  );
  out(
    `  ${packets.toLocaleString('en')} packets sent in ${(r.sendMs / 1000).toFixed(1)} s (${rate(packets, r.sendMs)})`,
  );
  out(`  expected (reference parse): ${JSON.stringify(r.expected)} + ${r.speechFrames} speech frames`);
  out(`  call summary rtpIn: ${JSON.stringify(r.rtpIn)}`);
  report('rtp-live', r.problems);
}

if (parts.includes('realtime')) {
  out('\nMalformed and unexpected Realtime server messages to a live call:');
  const r: RealtimeFuzzResult = await withHarness((harness) => runRealtimeFuzz(harness, { messages, seed }));
  out(
    `  ${messages.toLocaleString('en')} messages sent in ${(r.sendMs / 1000).toFixed(1)} s (${rate(messages, r.sendMs)})`,
  );
  out(`  by category: ${JSON.stringify(r.byCategory)}`);
  out(`  malformed: ${r.expectedMalformed} sent, ${r.loggedMalformed} logged as dropped`);
  out(`  error events: ${r.expectedErrorEvents} sent (fuzz + fake), ${r.summaryErrorEvents} in the summary`);
  out(
    `  agent frames the caller heard during the fuzz (deltas of unknown responses): ${r.framesHeardDuringFuzz}`,
  );
  report('realtime', r.problems);
}

if (parts.includes('ari')) {
  out('\nMalformed and unexpected ARI events during a live call:');
  const r: AriFuzzResult = await withHarness((harness) => runAriFuzz(harness, { messages, seed }));
  out(
    `  ${messages.toLocaleString('en')} events sent in ${(r.sendMs / 1000).toFixed(1)} s (${rate(messages, r.sendMs)})`,
  );
  out(`  by category: ${JSON.stringify(r.byCategory)}`);
  out(`  events.stats grew by ${JSON.stringify(r.counted)}; expected ${JSON.stringify(r.expected)}`);
  out(`  phantom calls (StasisStart for channels that do not exist): ${JSON.stringify(r.phantomCalls)}`);
  report('ari', r.problems);
}

if (allProblems.length === 0) {
  out('\nfuzz passed');
} else {
  out(`\nfuzz FAILED (seed ${seed}): ${allProblems.length} problem(s)`);
  process.exitCode = 1;
}
