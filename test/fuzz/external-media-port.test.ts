// ExternalMediaPort fed a fuzz stream packet by packet, without a socket: every packet is counted
// once under the reason the reference parse gives, `received === forwarded + dropped + held` with
// at most three held, forwarded payloads are the right bytes in sequence order and an in-order
// packet goes through at once, the hold timer empties the buffer, and a clean stream afterwards
// is forwarded whole. `npm run fuzz` runs a million.
import { describe, expect, it } from 'vitest';
import { runPortFuzz } from './rtp-unit-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

describe('fuzz: one call’s RTP port', () => {
  it('accounts for every one of 30,000 fuzz packets and still forwards clean audio afterwards', async () => {
    const seed = SeededRandom.seedFrom(process.env['FUZZ_SEED']);
    const result = await runPortFuzz({ packets: 30_000, seed });
    expect(result.problems, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(result.counters['received']).toBe(30_050);
    expect(result.counters['received']).toBe(result.counters['forwarded']! + result.counters['dropped']!);
    for (const reason of [
      'foreign_source',
      'wrong_payload_type',
      'duplicate',
      'too_short',
      'bad_version',
      'bad_padding',
    ])
      expect(result.counters[`dropped.${reason}`] ?? 0, `${reason}; seed ${seed}`).toBeGreaterThan(0);
  });
});
