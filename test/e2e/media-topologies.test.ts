// Both media topologies and both G.711 laws carry audio each way without transcoding.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

describe.each([
  { topology: 'snoop', format: 'ulaw', path: 'whisper' },
  { topology: 'bridge', format: 'ulaw', path: 'bridge' },
  { topology: 'snoop', format: 'alaw', path: 'whisper' },
  { topology: 'bridge', format: 'alaw', path: 'bridge' },
] as const)('$topology topology with $format', ({ topology, format, path }) => {
  let harness: DaemonHarness;

  afterEach(async () => {
    await harness.stop();
  });

  it('carries the greeting to the caller and the caller to the model', async () => {
    harness = await DaemonHarness.start({ env: { MEDIA_TOPOLOGY: topology, RTP_FORMAT: format } });
    const call = await harness.placeCall({ format });
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    expect(session.config.audio?.input?.format?.type).toBe(format === 'ulaw' ? 'audio/pcmu' : 'audio/pcma');
    const greeting = session.responses[0]!;
    await harness.asterisk.waitFor(() => call.heardPayloads().length >= greeting.audio.length, 5000);
    expect(call.heard.every((packet) => packet.path === path)).toBe(true);
    expect(call.heard[0]!.payloadType).toBe(format === 'ulaw' ? 0 : 8);
    expect(
      Buffer.concat(call.heard.map((packet) => packet.payload)).subarray(0, greeting.audio.length),
    ).toEqual(greeting.audio);

    const speech = tone(550, 400, format);
    await call.sendAudio(speech);
    await session.waitFor(() => session.inputAudio().includes(speech), 5000);
    const bridged = harness.asterisk.requests.filter((request) => request.path.endsWith('/addChannel'));
    expect(bridged).toHaveLength(topology === 'bridge' ? 2 : 1);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
    await harness.expectNothingLeft();
  });
});
