// parseRtpPacket against an RFC 3550 reference parse on a stream of random and mutated packets:
// it never throws, rejects exactly what the reference rejects for the same reason, and finds the
// same header fields and payload in everything else. `npm run fuzz` runs a million.
import { describe, expect, it } from 'vitest';
import { runParseFuzz } from './rtp-unit-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

describe('fuzz: RTP header parsing', () => {
  it('agrees with the RFC 3550 reference parse on 50,000 random and mutated packets', () => {
    const seed = SeededRandom.seedFrom(process.env['FUZZ_SEED']);
    const result = runParseFuzz({ packets: 50_000, seed });
    expect(result.problems, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    // The stream reaches every verdict.
    for (const verdict of [
      'valid',
      'too_short',
      'bad_version',
      'bad_csrc_count',
      'bad_extension',
      'bad_padding',
      'empty_payload',
    ])
      expect(result.classes[verdict] ?? 0, `${verdict}; seed ${seed}`).toBeGreaterThan(0);
  });
});
