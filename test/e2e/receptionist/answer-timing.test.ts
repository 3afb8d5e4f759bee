// Prepared while it rings: the call is answered once the greeting's first audio is buffered, so
// it plays from the first frame, however long the model takes; ring.minMs/maxMs bound the ringing.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, type HarnessOptions } from '../../support/daemon-harness.ts';

describe('answering when the greeting is ready', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function answeredCall(options: HarnessOptions) {
    harness = await DaemonHarness.start(options);
    const call = await harness.placeCall();
    await harness.asterisk.waitFor(() => call.heard.length > 0, 8000);
    const answerRequest = harness.asterisk.requests.find((request) => request.path.endsWith('/answer'))!;
    const answered = await harness.waitForLog('call answered');
    const firstFrame = await harness.waitForLog('first agent audio sent');
    return { call, answerRequest, answered, firstFrame, h: harness };
  }

  it.each([0, 800])(
    'sends the greeting within 40 ms of the answer when the model takes %i ms',
    async (delayMs) => {
      const { call, answerRequest, answered, firstFrame } = await answeredCall({
        realtime: { firstAudioDelayMs: delayMs },
      });
      expect(answered).toMatchObject({ trigger: 'ready' });
      expect(firstFrame['afterAnswerMs']).toBeLessThanOrEqual(40);
      // It kept ringing while the model was slow instead of answering into silence.
      expect(answered['preparedMs']).toBeGreaterThanOrEqual(delayMs);
      expect(call.ringCount).toBe(1);
      expect(call.heard[0]!.at - answerRequest.at).toBeLessThan(200);
    },
  );

  it('answers at ring.maxMs when the model is slower, and the greeting follows', async () => {
    const { answered, call } = await answeredCall({
      realtime: { firstAudioDelayMs: 1200 },
      env: { RING_MAX_MS: '300' },
    });
    expect(answered).toMatchObject({ trigger: 'max_ring' });
    expect(answered['preparedMs']).toBeGreaterThanOrEqual(300);
    expect(answered['preparedMs']).toBeLessThan(1000);
    expect(call.heard[0]!.marker).toBe(true);
  });

  it('keeps ringing for ring.minMs even when everything is ready sooner', async () => {
    const { answered } = await answeredCall({ env: { RING_MIN_MS: '500' } });
    expect(answered['preparedMs']).toBeGreaterThanOrEqual(500);
  });

  it('answers at once in immediately mode', async () => {
    const { answered } = await answeredCall({ env: { ANSWER_MODE: 'immediately' } });
    expect(answered).toMatchObject({ trigger: 'immediately' });
  });

  it('leaves no session open for a caller who hangs up while it rings', async () => {
    harness = await DaemonHarness.start({ realtime: { firstAudioDelayMs: 3000 } });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses.length === 1, 5000);
    call.hangup();
    const ended = await harness.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'caller_hangup', ringMs: null });
    await session.waitForClose(3000);
    expect(call.answered).toBe(false);
    await harness.expectNothingLeft();
  });
});
