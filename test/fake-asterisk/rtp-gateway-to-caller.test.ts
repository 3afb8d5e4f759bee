import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { silenceByte, tone } from '../support/fake-asterisk/g711.ts';
import { buildRtpPacket } from '../support/fake-asterisk/rtp-packet.ts';
import { ari } from './helpers/ari-rest.ts';
import { answeredCall, bridge, externalMedia, snoop } from './helpers/call-setup.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

describe("the gateway's audio towards the caller", () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;
  let gateway: GatewaySocket;
  let sequence = 1000;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ playbackDurationMs: 10_000 });
    app = await EventCollector.connect(asterisk);
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
    await gateway.close();
  });

  const rtp = (payload: Buffer, payloadType = 0): Buffer =>
    buildRtpPacket({
      payloadType,
      sequenceNumber: sequence++,
      timestamp: sequence * 160,
      ssrc: 0xabcdef,
      payload,
    });

  async function sendFrames(port: number, frames: number): Promise<void> {
    for (let i = 0; i < frames; i++) await gateway.send(rtp(tone(600, 20, 'ulaw')), port);
  }

  const unheard = (emId: string): number =>
    asterisk.externalMedia().find((e) => e.channelId === emId)?.stats.unheard ?? -1;

  it('is heard when the caller shares a bridge with the externalMedia channel', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await sendFrames(em.localPort, 2);
    await asterisk.waitFor(() => unheard(em.id) === 2);
    expect(call.heard).toHaveLength(0);
    await bridge(asterisk, call.channelId, em.id);
    const before = performance.timeOrigin + performance.now();
    await sendFrames(em.localPort, 3);
    await asterisk.waitFor(() => call.heard.length === 3);
    expect(call.heard[0]).toMatchObject({
      payloadType: 0,
      ssrc: 0xabcdef,
      marker: false,
      viaChannelId: em.id,
      path: 'bridge',
    });
    expect(call.heard[0]?.source.port).toBe(Number(gateway.hostPort.split(':')[1]));
    expect(call.heard[0]?.at).toBeGreaterThanOrEqual(before);
    expect(call.heardAudio()).toEqual(Buffer.concat([0, 1, 2].map(() => tone(600, 20, 'ulaw'))));
  });

  it('fills the gaps between packets with silence in heardAudio()', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    await sendFrames(em.localPort, 1);
    await new Promise((r) => setTimeout(r, 100));
    await sendFrames(em.localPort, 1);
    await asterisk.waitFor(() => call.heard.length === 2);
    const audio = call.heardAudio();
    expect(audio.length).toBeGreaterThanOrEqual(160 * 5);
    expect(audio.subarray(160, 320).every((b) => b === silenceByte('ulaw'))).toBe(true);
    expect(call.heardWav().subarray(0, 4).toString('ascii')).toBe('RIFF');
  });

  it('reaches a caller through a whisper snoop only while something is written to the caller', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    const whisper = await snoop(asterisk, app, call.channelId, { whisper: 'out' });
    await bridge(asterisk, whisper, em.id);

    // An idle, unbridged Stasis channel has no frames for the audiohook to mix into.
    await sendFrames(em.localPort, 2);
    await asterisk.waitFor(() => unheard(em.id) === 2);
    expect(call.heard).toHaveLength(0);

    await ari(asterisk, 'POST', `/channels/${call.channelId}/silence`);
    await sendFrames(em.localPort, 2);
    await asterisk.waitFor(() => call.heard.length === 2);
    expect(call.heard.every((p) => p.path === 'whisper')).toBe(true);
    await ari(asterisk, 'DELETE', `/channels/${call.channelId}/silence`);

    const playback = await ari(asterisk, 'POST', `/channels/${call.channelId}/play`, {
      query: { media: 'sound:hello-world' },
    });
    await app.waitForType('PlaybackStarted');
    await sendFrames(em.localPort, 1);
    await asterisk.waitFor(() => call.heard.length === 3);
    await ari(asterisk, 'DELETE', `/playbacks/${playback.body.id}`);
    await app.waitForType('PlaybackFinished');
    await sendFrames(em.localPort, 1);
    await asterisk.waitFor(() => unheard(em.id) === 3);

    // A bridged caller has frames written to it even when alone in the bridge.
    await bridge(asterisk, call.channelId);
    await sendFrames(em.localPort, 1);
    await asterisk.waitFor(() => call.heard.length === 4);
  });

  it('is not heard through a snoop that whispers the other way', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    const whisperIn = await snoop(asterisk, app, call.channelId, { whisper: 'in' });
    await bridge(asterisk, whisperIn, em.id);
    await ari(asterisk, 'POST', `/channels/${call.channelId}/silence`);
    await sendFrames(em.localPort, 2);
    await asterisk.waitFor(() => unheard(em.id) === 2);
    expect(call.heard).toHaveLength(0);
  });

  it('counts packets of a payload type the channel did not negotiate as unheard', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    await gateway.send(rtp(tone(600, 20, 'alaw'), 8), em.localPort);
    await asterisk.waitFor(() => unheard(em.id) === 1);
    expect(asterisk.externalMedia()[0]?.stats.wrongPayloadType).toBe(1);
    expect(call.heard).toHaveLength(0);
  });
});
