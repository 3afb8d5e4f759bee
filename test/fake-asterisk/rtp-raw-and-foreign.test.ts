import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import { buildRtpPacket } from '../support/fake-asterisk/rtp-packet.ts';
import { answeredCall, bridge, externalMedia } from './helpers/call-setup.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

describe('raw and foreign RTP', () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;
  let gateway: GatewaySocket;
  const extra: GatewaySocket[] = [];

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start();
    app = await EventCollector.connect(asterisk);
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
    await gateway.close();
    for (const s of extra.splice(0)) await s.close();
  });

  it('sends raw bytes to the gateway from the externalMedia socket or from a foreign one', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    const odd = buildRtpPacket({
      marker: true,
      payloadType: 96,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
      payload: Buffer.alloc(7),
    });
    await call.sendRtpRaw(odd);
    await call.sendRtpRaw(odd, { foreign: true });
    await gateway.waitForPackets(2);
    const [own, foreign] = gateway.received;
    expect(own?.raw).toEqual(odd);
    expect(own?.from.port).toBe(em.localPort);
    expect(foreign?.raw).toEqual(odd);
    expect(foreign?.from.port).not.toBe(em.localPort);
  });

  it('refuses raw sends for a call no externalMedia channel carries', async () => {
    const call = await answeredCall(asterisk);
    await expect(call.sendRtpRaw(Buffer.alloc(12))).rejects.toThrow(/no externalMedia channel/);
  });

  it('learns a new gateway source only after four packets in sequence (strict RTP)', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    const other = await GatewaySocket.open();
    extra.push(other);
    for (let seq = 0; seq < 6; seq++) {
      const packet = buildRtpPacket({
        payloadType: 0,
        sequenceNumber: seq,
        timestamp: seq * 160,
        ssrc: 9,
        payload: tone(500, 20, 'ulaw'),
      });
      await other.send(packet, em.localPort);
    }
    await asterisk.waitFor(() => call.heard.length === 2);
    expect(asterisk.externalMedia()[0]?.stats.rejectedSource).toBe(4);
    expect(call.heard.map((p) => p.sequenceNumber)).toEqual([4, 5]);
  });

  it('counts what is not RTP as invalid', async () => {
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    await gateway.send(Buffer.from('hello'), em.localPort);
    await gateway.send(Buffer.alloc(20, 0x00), em.localPort);
    await asterisk.waitFor(() => asterisk.externalMedia()[0]?.stats.invalid === 2);
    expect(call.heard).toHaveLength(0);
  });
});
