// A few hundred short calls in sequence through the real daemon (in its own process, so its heap
// and handles are its own): callers and the agent hanging up, the Realtime socket dropping and
// being restored or lost, the Realtime API refusing, callers leaving while it rings. Nothing may
// be left behind and neither handles nor the heap may grow. `npm run soak` runs the long version.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../fuzz/seeded-random.ts';
import { runSoak, type SoakResult, WATCHED_RESOURCES } from './soak-run.ts';

const CALLS = 200;
/**
 * Heap (after a forced GC) may differ this much between the 2nd and the last quarter of the run:
 * over 200 calls that catches a leak of ~15 KB a call; `npm run soak -- --calls 10000` sees ~300 B.
 */
const MAX_HEAP_DELTA_MB = 1.5;

describe('soak: short calls in sequence', () => {
  it('leaves nothing behind and keeps handles and the heap flat over a few hundred calls', async () => {
    const seed = SeededRandom.seedFrom(process.env['SOAK_SEED']);
    const result: SoakResult = await runSoak({ calls: CALLS, seed, samples: 40 });
    const context = `seed ${seed} (replay: SOAK_SEED=${seed} or npm run soak -- --calls ${CALLS} --seed ${seed})`;

    expect(result.problems, context).toEqual([]);
    expect(result.leftovers, context).toEqual([]);
    // Every kind of call was exercised.
    for (const [kind, count] of Object.entries(result.byKind))
      expect(count, `${kind}; ${context}`).toBeGreaterThan(0);
    // Every RTP packet the daemon received was forwarded or dropped for a named reason.
    expect(result.rtpIn.received, context).toBe(result.rtpIn.forwarded + result.rtpIn.dropped);
    // Handles: no growth from after warm-up to the end; none of the daemon's sockets after stop.
    for (const kind of WATCHED_RESOURCES) {
      expect(result.resourcesFinal[kind] ?? 0, `${kind}; ${context}`).toBeLessThanOrEqual(
        (result.resourcesBaseline[kind] ?? 0) + 2,
      );
    }
    expect(result.resourcesAfterStop?.['UDPWRAP'] ?? 0, context).toBe(0);
    expect(result.resourcesAfterStop?.['TCPSocketWrap'] ?? 0, context).toBe(0);
    // Flat memory: samples after a forced GC in the daemon's process.
    expect(result.samples.length, context).toBeGreaterThanOrEqual(20);
    expect(Math.abs(result.memory.deltaMb), `${JSON.stringify(result.memory)}; ${context}`).toBeLessThan(
      MAX_HEAP_DELTA_MB,
    );
  }, 180_000);
});
