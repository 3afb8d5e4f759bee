// The caller talks over the agent: playback stops at once, the running response is cancelled,
// and the item is truncated to exactly the audio that went out as RTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

describe('barge-in', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    harness = await DaemonHarness.start({
      // A 4 s greeting streamed at 2x real time: still streaming when the caller cuts in.
      realtime: { replyAudio: () => tone(440, 4000, 'ulaw'), deltaBytes: 1600, deltaIntervalMs: 100 },
    });
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('stops the agent, cancels the response and truncates at exactly what the caller heard', async () => {
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await harness.asterisk.waitFor(() => call.heard.length >= 40, 5000);
    const greeting = session.responses[0]!;
    expect(greeting.status).toBe('in_progress');

    void call.sendAudio(tone(700, 600, 'ulaw'));
    const truncate = await session.waitForReceived('conversation.item.truncate', () => true, 5000);
    const speechStartedAt = session.vadEvents.find((event) => event.type === 'speech_started')!.at;

    // Nothing more of the greeting reaches the caller once the truncate has been sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const greetingPackets = call.heard.filter((packet) => packet.at < speechStartedAt + 500);
    const heardBytes = greetingPackets.reduce((sum, packet) => sum + packet.payload.length, 0);
    expect(truncate).toMatchObject({ item_id: greeting.itemId, content_index: 0 });
    expect(truncate.audio_end_ms * 8).toBe(heardBytes);
    expect(session.truncations[0]).toMatchObject({ accepted: true });

    // Playback stopped within the frame in flight.
    expect(call.heard.filter((packet) => packet.at > speechStartedAt + 1).length).toBeLessThanOrEqual(2);
    expect(heardBytes).toBeLessThan(greeting.audio.length);

    // The running response was cancelled by us (the server may also have cut it itself).
    expect(session.receivedOfType('response.cancel')).toEqual([
      expect.objectContaining({ type: 'response.cancel', response_id: greeting.id }),
    ]);
    const interrupted = await harness.waitForLog('caller interrupted the agent');
    expect(interrupted).toMatchObject({ itemId: greeting.itemId, heardMs: truncate.audio_end_ms });

    // The next answer plays as a new talk spurt, marker bit set.
    await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
    await harness.asterisk.waitFor(() => call.heard.length > greetingPackets.length, 5000);
    expect(call.heard[greetingPackets.length]!.marker).toBe(true);

    call.hangup();
    const ended = await harness.waitForCallEnded(call.channelId);
    expect(ended['conversation']).toMatchObject({ bargeIns: 1 });
    await harness.expectNothingLeft();
  });

  it('does not truncate when the agent had already finished speaking', async () => {
    await harness.stop();
    harness = await DaemonHarness.start({ realtime: { replyAudio: () => tone(440, 300, 'ulaw') } });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await harness.asterisk.waitFor(() => call.heardPayloads().length >= 2400, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await call.sendAudio(tone(700, 400, 'ulaw'));
    await session.waitFor(() => session.vadEvents.some((event) => event.type === 'speech_stopped'), 5000);
    expect(session.receivedOfType('conversation.item.truncate')).toEqual([]);
    expect(session.receivedOfType('response.cancel')).toEqual([]);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
  });
});
