// A live call's Realtime session under fuzz: invalid JSON, non-events, known events with broken
// or huge fields, unknown types, events with ids of nothing, error events. The daemon does not
// crash, the call goes on and a normal reply afterwards reaches the caller whole; each message
// that does not decode is counted in the summary (and warned about, sparingly), each error
// event counted too, and audio of responses that do not exist is not played.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { runRealtimeFuzz } from './realtime-live-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

describe('fuzz: Realtime server messages to a live call', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    const reply = toneAudio('audio/pcmu', [{ hz: 440, ms: 300 }]);
    harness = await DaemonHarness.start({
      env: { LOG_LEVEL: 'info' },
      realtime: { replyAudio: () => reply },
    });
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('drops and counts 2,000 malformed and unexpected messages and keeps the call going', async () => {
    const seed = SeededRandom.seedFrom(process.env['FUZZ_SEED']);
    const result = await runRealtimeFuzz(harness, { messages: 2000, seed, hugeChars: 300_000 });
    expect(result.problems, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(result.expectedMalformed).toBeGreaterThan(300);
    expect(result.loggedMalformed).toBeLessThan(result.expectedMalformed / 10);
    // Deltas of responses that were never created are not played.
    expect(result.framesHeardDuringFuzz).toBe(0);
    expect(result.summaryErrorEvents).toBe(result.expectedErrorEvents);
    await harness.expectNothingLeft();
  });
});
