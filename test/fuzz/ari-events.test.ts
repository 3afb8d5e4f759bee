// The ARI events socket under fuzz during a live call: invalid JSON, non-events, unknown types,
// broken fields, events for channels, bridges and playbacks nobody has, StasisStarts with
// garbage (some start calls for channels that do not exist), and the live call's own events out
// of order. Nothing crashes, the live call goes on with audio both ways, the phantom calls fail
// cleanly, and `daemon.events.stats` counts every message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { runAriFuzz } from './ari-live-fuzz.ts';
import { SeededRandom } from './seeded-random.ts';

describe('fuzz: ARI events during a live call', () => {
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

  it('counts 2,000 malformed and unexpected events and keeps the live call going', async () => {
    const seed = SeededRandom.seedFrom(process.env['FUZZ_SEED']);
    const result = await runAriFuzz(harness, { messages: 2000, seed });
    expect(result.problems, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(result.counted).toEqual(result.expected);
    expect(result.counted.malformed).toBeGreaterThan(200);
    expect(result.counted.unknownTypes).toBeGreaterThan(100);
    await harness.expectNothingLeft();
  });
});
