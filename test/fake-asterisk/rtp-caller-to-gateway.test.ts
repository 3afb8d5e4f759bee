import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { tone, transcodeG711 } from '../support/fake-asterisk/g711.ts';
import { ari } from './helpers/ari-rest.ts';
import { answeredCall, bridge, externalMedia, snoop } from './helpers/call-setup.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

describe("the caller's audio towards the gateway", () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;
  let gateway: GatewaySocket;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start();
    app = await EventCollector.connect(asterisk);
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
    await gateway.close();
  });

  it('flows only once the caller and the externalMedia channel share a bridge', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    const before = await call.sendAudio(tone(440, 60, 'ulaw'), { realtime: false });
    expect(before).toEqual({ frames: 3, delivered: 0, dropped: 3 });
    await bridge(asterisk, call.channelId, em.id);
    const speech = tone(440, 100, 'ulaw');
    const after = await call.sendAudio(speech);
    expect(after).toEqual({ frames: 5, delivered: 5, dropped: 0 });
    await gateway.waitForPackets(5);
    expect(gateway.received).toHaveLength(5);
  });

  it('sends 172-byte PCMU packets as Asterisk does: +1 sequence, +160 timestamp, one SSRC, no marker', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    const speech = tone(300, 200, 'ulaw');
    await call.sendAudio(speech);
    await gateway.waitForPackets(10);
    const packets = gateway.received;
    expect(packets.every((p) => p.raw.length === 172 && p.version === 2 && p.payloadType === 0)).toBe(true);
    expect(packets.some((p) => p.marker)).toBe(false);
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
    expect(packets.every((p) => p.from.port === em.localPort)).toBe(true);
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]?.sequenceNumber).toBe(((packets[i - 1]?.sequenceNumber ?? 0) + 1) & 0xffff);
      expect(packets[i]?.timestamp).toBe(((packets[i - 1]?.timestamp ?? 0) + 160) >>> 0);
    }
    expect(Buffer.concat(packets.map((p) => p.payload))).toEqual(speech);
    // Paced like a phone: ten packets span about 180 ms.
    const span = (packets.at(-1)?.at ?? 0) - (packets[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(150);
  });

  it('sends nothing while the caller is silent, and the timestamp then jumps with the media clock', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    await call.sendAudio(tone(300, 40, 'ulaw'));
    await new Promise((r) => setTimeout(r, 200));
    expect(gateway.received).toHaveLength(2);
    await call.sendAudio(tone(300, 20, 'ulaw'));
    await gateway.waitForPackets(3);
    const [, second, third] = gateway.received;
    expect(third?.sequenceNumber).toBe(((second?.sequenceNumber ?? 0) + 1) & 0xffff);
    expect(((third?.timestamp ?? 0) - (second?.timestamp ?? 0)) >>> 0).toBeGreaterThan(160 * 5);
  });

  it('needs the call answered (or in early media)', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    expect(await call.sendAudio(tone(300, 40, 'ulaw'), { realtime: false })).toMatchObject({
      delivered: 0,
      dropped: 2,
    });
    expect(call.framesDropped).toBe(2);
  });

  it('reaches an externalMedia channel bridged with a snoop that spies on what the caller says', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    const spyOut = await snoop(asterisk, app, call.channelId, { spy: 'out' });
    const bridgeId = await bridge(asterisk, spyOut, em.id);
    expect(await call.sendAudio(tone(300, 40, 'ulaw'), { realtime: false })).toMatchObject({ delivered: 0 });
    const spyIn = await snoop(asterisk, app, call.channelId, { spy: 'in' });
    await ari(asterisk, 'POST', `/bridges/${bridgeId}/removeChannel`, { query: { channel: spyOut } });
    await ari(asterisk, 'POST', `/bridges/${bridgeId}/addChannel`, { query: { channel: spyIn } });
    expect(call.mediaPaths).toEqual([em.id]);
    expect(await call.sendAudio(tone(300, 40, 'ulaw'), { realtime: false })).toMatchObject({ delivered: 2 });
    await gateway.waitForPackets(2);
  });

  it('transcodes between an alaw caller and a ulaw externalMedia channel', async () => {
    const call = await answeredCall(asterisk, { format: 'alaw' });
    const em = await externalMedia(asterisk, app, gateway, 'ulaw');
    await bridge(asterisk, call.channelId, em.id);
    const speech = tone(500, 20, 'alaw');
    await call.sendAudio(speech, { realtime: false });
    await gateway.waitForPackets(1);
    expect(gateway.received[0]?.payloadType).toBe(0);
    expect(gateway.received[0]?.payload).toEqual(transcodeG711(speech, 'alaw', 'ulaw'));
  });
});
