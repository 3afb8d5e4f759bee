// A whole call through the real daemon: ringing while it prepares, answer, greeting, the
// caller's audio reaching the model byte for byte, the reply paced back, hangup, nothing left.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('a phone call end to end', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    harness = await DaemonHarness.start();
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('rings, answers, greets, streams both ways and releases everything on hangup', async () => {
    const handlesBefore = activeHandles();
    const call = await harness.placeCall({ did: '1000' });
    await call.waitForState('Up', 5000);
    expect(call.ringCount).toBe(1);

    const session = await harness.realtime.waitForSession(0);
    const update = session.receivedOfType('session.update')[0];
    expect(update).toMatchObject({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            turn_detection: { type: 'server_vad', interrupt_response: true },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
        },
      },
    });

    // The greeting: requested once the session is configured, played to the caller as it streams.
    const greeting = await session
      .waitFor(() => session.responses[0]?.status === 'completed', 5000)
      .then(() => session.responses[0]!);
    expect(greeting.source).toBe('client');
    await harness.asterisk.waitFor(() => call.heardPayloads().length >= greeting.audio.length, 5000);
    const heard = call.heard;
    expect(heard[0]!.marker).toBe(true);
    for (let i = 1; i < heard.length; i++) {
      expect((heard[i]!.sequenceNumber - heard[i - 1]!.sequenceNumber) & 0xffff).toBe(1);
      expect((heard[i]!.timestamp - heard[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    const heardBytes = Buffer.concat(heard.map((packet) => packet.payload));
    expect(heardBytes.subarray(0, greeting.audio.length).equals(greeting.audio)).toBe(true);
    // Paced, not burst: the reply arrived 5x faster than real time, the caller got it at 20 ms a frame.
    const spanMs = heard.at(-1)!.at - heard[0]!.at;
    expect(spanMs).toBeGreaterThanOrEqual((heard.length - 1) * 20 * 0.9);
    expect(greeting.deltas.at(-1)!.at - greeting.deltas[0]!.at).toBeLessThan(spanMs / 2);

    // The caller speaks: every frame reaches the model unchanged and in order.
    const speech = tone(600, 800, 'ulaw');
    await call.sendAudio(speech);
    await session.waitFor(() => session.inputAudio().includes(speech), 5000);
    await session.waitFor(() => session.responses[1]?.status === 'completed', 5000);
    await harness.waitForLog('agent said', (line) => line['itemId'] === session.responses[1]!.itemId);

    // The model heard silence after the caller stopped, so its VAD could end the turn.
    expect(session.vadEvents.map((event) => event.type)).toEqual(['speech_started', 'speech_stopped']);

    const callId = harness.logged('call arrived')[0]!['callId'] as string;
    expect(harness.logged('caller said', callId)[0]).toMatchObject({ transcript: { role: 'caller' } });
    expect(harness.logged('agent said', callId)[0]).toMatchObject({ transcript: { role: 'agent' } });

    call.hangup();
    const ended = await harness.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'caller_hangup', callerOutcome: 'gone', releaseFailures: [] });
    expect(ended['released']).toEqual([
      'conversation timers',
      'caller silence filler',
      'snoop channel',
      'externalMedia channel',
      'bridge',
      'call summary',
      'realtime session',
      'pacer',
      'rtp port',
    ]);
    await harness.expectNothingLeft();
    // No socket or timer of the call is left running in the daemon's process.
    const settled = () =>
      (activeHandles().UDPWRAP ?? 0) <= (handlesBefore.UDPWRAP ?? 0) &&
      (activeHandles().Timeout ?? 0) <= (handlesBefore.Timeout ?? 0);
    await harness.asterisk.waitFor(settled, 2000).catch(() => undefined);
    expect(activeHandles().UDPWRAP ?? 0).toBeLessThanOrEqual(handlesBefore.UDPWRAP ?? 0);
    expect(activeHandles().Timeout ?? 0).toBeLessThanOrEqual(handlesBefore.Timeout ?? 0);
  });

  it('carries every log line of a call with its call id and channel id', async () => {
    const call = await harness.placeCall();
    await harness.waitForLog('first agent audio sent', (line) => line['channelId'] === call.channelId);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
    const callLines = harness.logs.filter((line) => line['channelId'] === call.channelId);
    expect(callLines.length).toBeGreaterThan(3);
    const callIds = new Set(callLines.map((line) => line['callId']));
    expect(callIds.size).toBe(1);
    expect([...callIds][0]).toEqual(expect.any(String));
  });
});
