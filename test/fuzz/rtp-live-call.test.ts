// A live call's RTP port under fuzz: a few thousand random and mutated packets over UDP, from
// Asterisk's address and from foreign ones. The call survives, the caller's real audio still
// reaches the model byte for byte, and the `call ended` line accounts for every packet under
// the reason the RFC 3550 reference parse gives. `npm run fuzz` sends a million.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { runLiveRtpFuzz } from './rtp-live-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

describe('fuzz: RTP to a live call', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    harness = await DaemonHarness.start({ env: { LOG_LEVEL: 'info' } });
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('survives 4,000 fuzz packets and counts each one in the call summary', async () => {
    const seed = SeededRandom.seedFrom(process.env['FUZZ_SEED']);
    const result = await runLiveRtpFuzz(harness, { packets: 4000, seed });
    expect(result.problems, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(result.expected.valid).toBeGreaterThan(1000);
    expect(result.expected.foreign_source).toBeGreaterThan(100);
    await harness.expectNothingLeft();
  });
});
