// The Realtime socket is not forever: it can drop mid-sentence, and the provider ends sessions
// after a time limit. The caller should hear a short hiccup at worst: the conversation moves to a
// new socket with its history, and only when that keeps failing does the fallback apply.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, type HarnessOptions } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

const GREETING = 'Hello, this is the fake assistant answering your call.';
const CALLER = 'Hello, I would like to check my appointment.';

describe('Realtime resilience', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function start(options: HarnessOptions): Promise<DaemonHarness> {
    harness = await DaemonHarness.start(options);
    return harness;
  }

  it('restores the conversation on a new socket when the socket drops mid-sentence', async () => {
    const h = await start({
      realtime: {
        // A short greeting, then a 4 s answer streamed at 2x real time: still speaking at the drop.
        replyAudio: (ctx) =>
          tone(440, ctx.sessionIndex === 0 && ctx.responseIndex === 1 ? 4000 : 300, 'ulaw'),
        deltaBytes: 1600,
        deltaIntervalMs: 100,
      },
    });
    const call = await h.placeCall();
    const first = await h.realtime.waitForSession(0);
    await first.waitFor(() => first.responses[0]?.status === 'completed', 5000);
    void call.sendAudio(tone(600, 500, 'ulaw'));
    await first.waitFor(
      () => first.responses[1]?.status === 'in_progress' && first.responses[1].audio.length > 3200,
      8000,
    );
    const heardBeforeDrop = call.heard.length;
    first.drop();

    const second = await h.realtime.waitForSession(1, 5000);
    // Same settings, then the conversation so far as text, then the agent picks up again.
    await second.waitForReceived('response.create', () => true, 5000);
    const kinds = second.received.map((record) => record.event.type);
    expect(kinds.indexOf('session.update')).toBeLessThan(kinds.indexOf('conversation.item.create'));
    expect(second.config.instructions).toBe(first.config.instructions);
    expect(second.textItems.map(({ role, text }) => ({ role, text }))).toEqual([
      { role: 'assistant', text: GREETING },
      { role: 'user', text: CALLER },
    ]);
    const resumed = second.receivedOfType('response.create')[0]!;
    expect(resumed.response?.instructions).toMatch(/cut off/);
    await second.waitFor(() => second.responses[0]?.status === 'completed', 5000);
    await h.asterisk.waitFor(() => call.heard.length > heardBeforeDrop + 10, 5000);
    expect(await h.waitForLog('Realtime conversation restored on a new socket')).toMatchObject({
      attempt: 1,
      callId: expect.any(String),
    });

    // The caller carries on talking to the new socket.
    void call.sendAudio(tone(600, 500, 'ulaw'));
    await second.waitFor(() => second.responses[1]?.status === 'completed', 8000);
    expect(second.appends.length).toBeGreaterThan(0);

    call.hangup();
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({
      reason: 'caller_hangup',
      conversation: { reconnects: 1, reconnectsFailed: 0 },
    });
    expect(h.realtime.sessions).toHaveLength(2);
    await h.expectNothingLeft();
  });

  it('asks again for an answer requested while the conversation was being restored', async () => {
    const h = await start({
      env: { OPENAI_RECONNECT_TIMEOUT_MS: '3000' },
      realtime: { replyAudio: () => tone(440, 300, 'ulaw') },
    });
    const call = await h.placeCall();
    const first = await h.realtime.waitForSession(0);
    await first.waitFor(() => first.responses[0]?.status === 'completed', 5000);
    // The first reconnect attempt hangs; meanwhile the caller presses a key, which wants an answer.
    h.realtime.setOptions({ stallHandshake: true });
    first.drop();
    await call.pressDigit('5', 50);
    await h.waitForLog('caller pressed keys', undefined, 5000);
    h.realtime.setOptions({ stallHandshake: false });

    const second = await h.realtime.waitForSession(1, 8000);
    await second.waitFor(() => second.responses[0]?.status === 'completed', 5000);
    expect(second.textItems.map((item) => item.text)).toEqual([
      GREETING,
      '(The caller pressed on the phone keypad: 5)',
    ]);
    expect(second.receivedOfType('response.create')).toHaveLength(1);
    expect(h.logged('Realtime reconnect attempt failed')).toHaveLength(1);
    call.hangup();
    await h.waitForCallEnded(call.channelId);
    await h.expectNothingLeft();
  });

  it('ends the call with the fallback when every reconnect attempt fails', async () => {
    const h = await start({ env: { OPENAI_RECONNECT_ATTEMPTS: '2' } });
    const call = await h.placeCall();
    const session = await h.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    h.realtime.setOptions({ rejectUpgrade: { status: 503 } });
    session.drop();
    await call.waitForHangup(5000);
    expect(call.playbacks.flatMap((playback) => playback.media)).toEqual(['sound:an-error-has-occured']);
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({
      reason: 'ai_failed',
      conversation: { reconnects: 0, reconnectsFailed: 1 },
    });
    expect(h.logged('Realtime reconnect attempt failed')).toHaveLength(2);
    expect(h.logged('ending call').at(-1)?.['cause']).toMatch(/could not be restored after 2 attempts/);
    await h.expectNothingLeft();
  });

  it('moves to a fresh session before the time limit, waiting for the agent to finish speaking', async () => {
    const h = await start({
      env: { OPENAI_ROLLOVER_AFTER_MS: '1000' },
      // A 3 s greeting: the rollover falls due while it plays.
      realtime: { replyAudio: (ctx) => tone(440, ctx.sessionIndex === 0 ? 3000 : 300, 'ulaw') },
    });
    const call = await h.placeCall();
    const first = await h.realtime.waitForSession(0);
    const second = await h.realtime.waitForSession(1, 5000);
    const closed = await first.waitForClose(8000);
    expect(closed.initiatedBy).toBe('client');
    // Not one greeting packet is cut: the old socket closed only after the greeting played out.
    const greetingPackets = call.heard.filter((packet) => packet.at <= closed.at);
    expect(greetingPackets.reduce((sum, packet) => sum + packet.payload.length, 0)).toBe(3000 * 8);
    expect(second.textItems.map(({ role, text }) => ({ role, text }))).toEqual([
      { role: 'assistant', text: GREETING },
    ]);
    // Nothing to say at the swap: the new socket speaks when the caller does.
    expect(second.receivedOfType('response.create')).toEqual([]);
    void call.sendAudio(tone(600, 500, 'ulaw'));
    await second.waitFor(() => second.responses[0]?.status === 'completed', 8000);
    expect(await h.waitForLog('rolled over to a fresh Realtime session')).toMatchObject({
      callId: expect.any(String),
    });
    call.hangup();
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended['conversation']).toMatchObject({ reconnects: 0 });
    expect((ended['conversation'] as { rollovers: number }).rollovers).toBeGreaterThanOrEqual(1);
    await h.expectNothingLeft();
  });
});
