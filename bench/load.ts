// npm run bench:load [-- --calls N] [--steps a,b,…] [--window-ms W] [--ramp-ms R] [--settle-ms S]
//   [--reply-ms M] [--reply-gap-ms G] [--delta-bytes B] [--delta-interval-ms I] [--jitter-limit-ms J]
//   [--rtp-port-min P] [--relay-port-min Q] [--only daemon|relay] [--profile-dir DIR]
// Many concurrent long calls: callbridge (`node src/main.ts`) and then a bare relay, each in its
// own process, each against the fake Realtime server in another (the agent talking on and on);
// the fake Asterisk and the callers (quiet, always sending) run in this process. Calls are added
// up to each size and kept up; with all of them up, a window is measured: CPU and memory per call,
// outbound jitter, frames lost both ways, added latency each way; then where jitter sets in.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeAsterisk } from '../test/support/fake-asterisk/fake-asterisk.ts';
import { FAKE_REALTIME_API_KEY, FakeRealtimeProcess } from './fake-realtime-process.ts';
import { DaemonTarget } from './load-daemon-target.ts';
import { type RampResult, type RampSettings, runRamp } from './load-ramp.ts';
import { RelayTarget } from './load-relay-target.ts';
import { comparisonTable, kneeLines, rampTables } from './load-report.ts';
import type { LoadTarget } from './load-target.ts';

const LAUNCHER = fileURLToPath(new URL('./load-realtime-server.ts', import.meta.url));

function integer(text: string | undefined, flag: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${flag}: expected an integer ≥ ${min}`);
  return value;
}

/** --steps, or six even steps up to --calls. */
function stepsFor(calls: number, steps: string | undefined): number[] {
  const sizes = steps
    ? steps.split(',').map((s) => integer(s.trim(), '--steps', 0, 1))
    : Array.from({ length: 6 }, (_, i) => Math.round((calls * (i + 1)) / 6));
  return [...new Set(sizes.filter((n) => n > 0))].sort((a, b) => a - b);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      steps: { type: 'string' },
      'window-ms': { type: 'string' },
      'ramp-ms': { type: 'string' },
      'settle-ms': { type: 'string' },
      'reply-ms': { type: 'string' },
      'reply-gap-ms': { type: 'string' },
      'delta-bytes': { type: 'string' },
      'delta-interval-ms': { type: 'string' },
      'jitter-limit-ms': { type: 'string' },
      'rtp-port-min': { type: 'string' },
      'relay-port-min': { type: 'string' },
      only: { type: 'string' },
      'profile-dir': { type: 'string' },
    },
  });
  const steps = stepsFor(integer(values.calls, '--calls', 300, 1), values.steps);
  const maxCalls = steps.at(-1)!;
  const jitterLimitMs = Number(values['jitter-limit-ms'] ?? 3);
  const realtimeArgs = {
    replyMs: integer(values['reply-ms'], '--reply-ms', 4000, 100),
    gapMs: integer(values['reply-gap-ms'], '--reply-gap-ms', 300),
    deltaBytes: integer(values['delta-bytes'], '--delta-bytes', 800, 1),
    deltaIntervalMs: integer(values['delta-interval-ms'], '--delta-interval-ms', 50),
  };
  const ramp: RampSettings = {
    steps,
    windowMs: integer(values['window-ms'], '--window-ms', 15_000, 100),
    rampMs: integer(values['ramp-ms'], '--ramp-ms', 40),
    settleMs: integer(values['settle-ms'], '--settle-ms', 2000),
    graceMs: 500,
    ...(values['profile-dir'] ? { profileDir: path.resolve(values['profile-dir']) } : {}),
    callTimeoutMs: 30_000,
    progress: (line) => {
      if (process.stderr.isTTY) process.stderr.write(`… ${line}\n`);
    },
  };
  if (ramp.profileDir) mkdirSync(ramp.profileDir, { recursive: true });
  const only = values.only;
  if (only !== undefined && only !== 'daemon' && only !== 'relay') throw new Error('--only: daemon or relay');
  const rtpPortMin = integer(values['rtp-port-min'], '--rtp-port-min', 44_000, 1024);
  const relayPortMin = integer(values['relay-port-min'], '--relay-port-min', 50_000, 1024);

  process.stdout.write(
    `callbridge load: sizes ${steps.join(', ')}; calls arrive ${ramp.rampMs} ms apart on average and stay up; ` +
      `each size measured for ${(ramp.windowMs / 1000).toFixed(1)} s with all its calls up (${ramp.settleMs} ms after the last greeting).\n` +
      `Each call: the agent talks on and on (${realtimeArgs.replyMs} ms replies, ${realtimeArgs.gapMs} ms apart, streamed as ` +
      `${realtimeArgs.deltaBytes}-byte deltas every ${realtimeArgs.deltaIntervalMs} ms) while the caller sends a quiet 20 ms frame every 20 ms.\n` +
      `Processes: target (callbridge, then the bare relay); fake Realtime server; this one (fake Asterisk, callers). ` +
      `${availableParallelism()} CPUs.\n`,
  );

  const launcherArgs = [
    '--reply-ms',
    String(realtimeArgs.replyMs),
    '--reply-gap-ms',
    String(realtimeArgs.gapMs),
    '--delta-bytes',
    String(realtimeArgs.deltaBytes),
    '--delta-interval-ms',
    String(realtimeArgs.deltaIntervalMs),
  ];
  const results: RampResult[] = [];
  let failures = 0;
  for (const which of ['daemon', 'relay'] as const) {
    if (only !== undefined && only !== which) continue;
    const asterisk = which === 'daemon' ? await FakeAsterisk.start({ password: 'bench-ari-secret' }) : null;
    let realtime: FakeRealtimeProcess | undefined;
    let target: LoadTarget | undefined;
    try {
      realtime = await FakeRealtimeProcess.start(launcherArgs, LAUNCHER);
      target = asterisk
        ? await DaemonTarget.start({
            asterisk,
            realtimeBaseUrl: realtime.baseUrl,
            realtimeApiKey: FAKE_REALTIME_API_KEY,
            rtpPortMin,
            maxCalls,
          })
        : await RelayTarget.start({
            realtimeBaseUrl: realtime.baseUrl,
            realtimeApiKey: FAKE_REALTIME_API_KEY,
            portMin: relayPortMin,
          });
      const result = await runRamp(target, realtime, ramp);
      failures += result.errors.length;
      results.push(result);
      process.stdout.write(`\n${rampTables(result)}\n`);
    } finally {
      // Each stop is attempted whatever the others do; no process outlives the run.
      await Promise.allSettled([target?.stop(), realtime?.stop()]);
      await asterisk?.stop();
    }
  }
  const [daemon, relay] = [
    results.find((r) => r.target === 'callbridge daemon'),
    results.find((r) => r.target === 'bare relay'),
  ];
  if (daemon && relay) process.stdout.write(`\n${comparisonTable(daemon, relay)}\n`);
  process.stdout.write(`\n${kneeLines(results, jitterLimitMs)}\n`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench:load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
