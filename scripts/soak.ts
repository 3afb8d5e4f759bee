// npm run soak -- --calls 10000 [--seed N] [--samples 40] [--kinds caller_hangup,ai_lost]
// Short calls in sequence through the real daemon (its own process) against the fakes; prints
// progress, then what was left, handle counts and the daemon's heap trend. Exit 1 on a problem.
import { parseArgs } from 'node:util';
import { SeededRandom } from '../test/fuzz/seeded-random.ts';
import {
  runSoak,
  SOAK_CALL_KINDS,
  type SoakCallKind,
  type SoakProgress,
  type SoakResult,
  WATCHED_RESOURCES,
} from '../test/soak/soak-run.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    samples: { type: 'string', default: '40' },
    'max-heap-growth-mb': { type: 'string', default: '5' },
    kinds: { type: 'string' },
  },
});

const calls = Number(values.calls);
const samples = Number(values.samples);
const maxGrowthMb = Number(values['max-heap-growth-mb']);
if (!Number.isInteger(calls) || calls < 1) throw new Error('--calls must be a positive integer');
const kinds = values.kinds?.split(',').map((kind) => kind.trim()) as SoakCallKind[] | undefined;
for (const kind of kinds ?? []) {
  if (!SOAK_CALL_KINDS.includes(kind))
    throw new Error(`--kinds: unknown kind ${kind}; known: ${SOAK_CALL_KINDS.join(', ')}`);
}
const seed = SeededRandom.seedFrom(values.seed ?? process.env['SOAK_SEED']);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const out = (text: string) => process.stdout.write(`${text}\n`);

out(`soak: ${calls} calls, seed ${seed} (replay with --seed ${seed})`);
let lastPrinted = 0;
const onProgress = (p: SoakProgress) => {
  const now = performance.now();
  if (p.done !== p.calls && now - lastPrinted < 5000) return;
  lastPrinted = now;
  const rate = p.done / (p.elapsedMs / 1000);
  const heap = p.lastSample
    ? `, heap ${mb(p.lastSample.heapUsed)} after ${p.lastSample.afterCalls} calls`
    : '';
  out(
    `  ${p.done}/${p.calls} calls, ${(p.elapsedMs / 1000).toFixed(0)} s, ${rate.toFixed(1)} calls/s, ${p.problems} problem(s)${heap}`,
  );
};

const result = await runSoak({ calls, seed, samples, onProgress, ...(kinds ? { kinds } : {}) });
report(result);

function report(r: SoakResult): void {
  out('');
  out(`duration: ${(r.durationMs / 1000).toFixed(1)} s, ${r.callsPerSecond.toFixed(2)} calls/s`);
  out(`kinds: ${JSON.stringify(r.byKind)}`);
  out(`ended: ${JSON.stringify(r.byReason)}`);
  out(
    `rtp in (all calls): received ${r.rtpIn.received}, forwarded ${r.rtpIn.forwarded}, dropped ${r.rtpIn.dropped}`,
  );
  out(`ARI events: ${JSON.stringify(r.events)}`);
  out(`left behind: ${r.leftovers.length === 0 ? 'nothing' : r.leftovers.join(', ')}`);
  const handles = (counts: Record<string, number> | null) =>
    counts === null ? 'n/a' : WATCHED_RESOURCES.map((kind) => `${kind} ${counts[kind] ?? 0}`).join(', ');
  out(`handles after warm-up: ${handles(r.resourcesBaseline)}`);
  out(`handles at the end:    ${handles(r.resourcesFinal)}`);
  out(`handles after stop:    ${handles(r.resourcesAfterStop)} (${JSON.stringify(r.resourcesAfterStop)})`);
  out('heap after GC (daemon process):');
  for (const s of r.samples) {
    out(`  after ${String(s.afterCalls).padStart(6)} calls: heap ${mb(s.heapUsed)}, rss ${mb(s.rss)}`);
  }
  const m = r.memory;
  out(
    `heap trend: 2nd quarter mean ${m.secondQuarterMeanMb.toFixed(2)} MB, last quarter mean ${m.lastQuarterMeanMb.toFixed(2)} MB, delta ${m.deltaMb.toFixed(2)} MB; slope over 2nd half ${m.slopeBytesPerCall.toFixed(0)} bytes/call`,
  );
  if (Object.keys(r.problemDetails).length > 0) {
    out('daemon warn/error lines (expected for the failing kinds of call):');
    for (const [key, count] of Object.entries(r.problemDetails).sort((a, b) => b[1] - a[1]))
      out(`  ${String(count).padStart(6)}  ${key}`);
  }
  const problems = [...r.problems];
  if (Math.abs(m.deltaMb) > maxGrowthMb)
    problems.push(`heap grew ${m.deltaMb.toFixed(2)} MB between the 2nd and last quarter`);
  if (problems.length === 0) {
    out('\nsoak passed');
    return;
  }
  out(`\nsoak FAILED (seed ${r.seed}): ${problems.length} problem(s)`);
  for (const p of problems.slice(0, 50)) out(`  - ${p}`);
  process.exitCode = 1;
}
