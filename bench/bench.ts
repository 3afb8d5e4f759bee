// npm run bench [-- --calls N | --answering] [--ramp-ms M] [--warmup W] [--rtp-port-min P]
// Runs the callbridge daemon as a child process against a fake Asterisk (in this process: the
// load generator and the callers' ears) and a fake OpenAI Realtime server (another process),
// and prints latency, jitter, barge-in, loss and CPU figures for 1 and for 50 concurrent calls.
import { parseArgs } from 'node:util';
import { compareAnswering } from './answering-comparison.ts';
import type { CallerScript } from './bench-caller.ts';
import { runBench } from './bench-run.ts';
import { computeFigures } from './metrics.ts';
import { formatReport } from './report.ts';

const SCRIPT: CallerScript = {
  bargeInAfterMs: 700,
  talkMs: 400,
  replyEndQuietMs: 300,
  stepTimeoutMs: 10_000,
};

function nonNegativeInteger(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag}: expected a non-negative integer`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      'ramp-ms': { type: 'string' },
      warmup: { type: 'string' },
      'rtp-port-min': { type: 'string' },
      answering: { type: 'boolean' },
    },
  });
  const sizes = values.answering
    ? []
    : values.calls === undefined
      ? [1, 50]
      : [nonNegativeInteger(values.calls, '--calls', 1)];
  if (sizes.some((n) => n < 1)) throw new Error('--calls: at least 1');
  const rampMs = nonNegativeInteger(values['ramp-ms'], '--ramp-ms', 20);
  const warmupCalls = nonNegativeInteger(values.warmup, '--warmup', 1);
  const rtpPortMin = nonNegativeInteger(values['rtp-port-min'], '--rtp-port-min', 41_000);

  process.stdout.write(
    'callbridge bench: daemon = node src/main.ts (own process); fake Realtime = cli.ts (own process,\n' +
      'default 1.5 s reply, 800-byte deltas every 5 ms); fake Asterisk + callers in this process.\n' +
      `Each caller: greeting → talks ${SCRIPT.talkMs} ms from ${SCRIPT.bargeInAfterMs} ms into it (barge-in) → ` +
      `quiet while the reply plays → hangs up.\n${warmupCalls} unmeasured warm-up call(s) before each size.\n`,
  );
  let failures = 0;
  for (const calls of sizes) {
    const run = await runBench({ calls, warmupCalls, rampMs, script: SCRIPT, rtpPortMin });
    const figures = computeFigures(run);
    failures += figures.calls.errors.length;
    process.stdout.write(`\n${formatReport(run, figures)}\n`);
  }
  if (values.calls === undefined) {
    const answering = await compareAnswering({
      calls: 10,
      modelFirstAudioMs: 500,
      rampMs: 100,
      rtpPortMin,
      script: SCRIPT,
    });
    failures += answering.failures;
    process.stdout.write(`\n${answering.text}\n`);
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
