import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallDeclinedError, FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

describe('an inbound call through the fake Asterisk', () => {
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

  async function bridgedWithExternalMedia(channelId: string): Promise<{ emId: string; bridgeId: string }> {
    const em = await ari(asterisk, 'POST', '/channels/externalMedia', {
      query: { app: 'callbridge', external_host: gateway.hostPort, format: 'ulaw' },
    });
    await app.waitForType('StasisStart', em.body.id);
    const bridge = await ari(asterisk, 'POST', '/bridges', { query: { type: 'mixing' } });
    await ari(asterisk, 'POST', `/bridges/${bridge.body.id}/addChannel`, {
      query: { channel: `${channelId},${em.body.id}` },
    });
    return { emId: em.body.id, bridgeId: bridge.body.id };
  }

  it('enters Stasis ringing, with the dialled number as its argument', async () => {
    const call = await asterisk.placeCall({
      did: '1000',
      callerNumber: '+15551234567',
      callerName: 'Test Caller',
    });
    const start = await app.waitForType('StasisStart', call.channelId);
    expect(start).toMatchObject({
      args: ['1000'],
      application: 'callbridge',
      asterisk_id: asterisk.asteriskId,
      channel: {
        state: 'Ring',
        caller: { name: 'Test Caller', number: '+15551234567' },
        dialplan: {
          context: 'from-trunk',
          exten: '1000',
          priority: 2,
          app_name: 'Stasis',
          app_data: 'callbridge,1000',
        },
      },
    });
    expect(start['channel'].id).toMatch(/^\d+\.\d+$/);
    expect(start['channel'].name).toMatch(/^PJSIP\/trunk-[0-9a-f]{8}$/);
    expect(start['channel'].protocol_id).toMatch(/@/);
    expect(start['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('rings without changing state, and answering moves it to Up', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    expect((await ari(asterisk, 'POST', `/channels/${call.channelId}/ring`)).status).toBe(204);
    expect(call.ringing).toBe(true);
    expect(call.state).toBe('Ring');
    expect((await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`)).status).toBe(204);
    const change = await app.waitForType('ChannelStateChange', call.channelId);
    expect(change['channel'].state).toBe('Up');
    expect(call.answered).toBe(true);
    expect(call.ringing).toBe(false);
  });

  it('declines a call when no client is subscribed to its app', async () => {
    await expect(asterisk.placeCall({ did: '1000', app: 'nobody' })).rejects.toBeInstanceOf(
      CallDeclinedError,
    );
    expect(asterisk.declinedCalls).toMatchObject([{ did: '1000', app: 'nobody', sipStatus: 603 }]);
    expect(asterisk.channels()).toEqual([]);
  });

  it("reports the caller's BYE as a hangup request without cause, then leaves the bridge and Stasis", async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`);
    const { emId, bridgeId } = await bridgedWithExternalMedia(call.channelId);
    call.hangup();
    await app.waitForType('StasisEnd', call.channelId);
    const mine = app.events.filter((e) => e['channel']?.id === call.channelId).map((e) => e['type']);
    expect(mine.slice(mine.indexOf('ChannelHangupRequest'))).toEqual([
      'ChannelHangupRequest',
      'ChannelVarset',
      'ChannelLeftBridge',
      'StasisEnd',
    ]);
    const request = app.events.find((e) => e['type'] === 'ChannelHangupRequest');
    expect(request).not.toHaveProperty('cause');
    // A dialplan channel's app stops hearing about it at StasisEnd.
    expect(mine).not.toContain('ChannelDestroyed');
    // The externalMedia channel and the bridge stay until the application removes them.
    expect(asterisk.channels().map((c) => c.id)).toEqual([emId]);
    expect(asterisk.bridges().map((b) => b.id)).toEqual([bridgeId]);
    expect(call.hungUpBy).toBe('caller');
  });

  it('hangs up on DELETE with a soft hangup request and the reason as the destroy cause', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const { emId } = await bridgedWithExternalMedia(call.channelId);
    const reply = await ari(asterisk, 'DELETE', `/channels/${emId}`, { query: { reason: 'busy' } });
    expect(reply.status).toBe(204);
    const destroyed = await app.waitForType('ChannelDestroyed', emId);
    expect(destroyed).toMatchObject({ cause: 17, cause_txt: 'User busy' });
    expect(app.typesFor(emId).slice(-6)).toEqual([
      'ChannelHangupRequest',
      'ChannelVarset',
      'ChannelLeftBridge',
      'StasisEnd',
      'ChannelVarset',
      'ChannelDestroyed',
    ]);
    expect(app.events.find((e) => e['type'] === 'ChannelHangupRequest')).toMatchObject({
      cause: 32,
      soft: true,
    });
    const missing = await ari(asterisk, 'DELETE', `/channels/${emId}`);
    expect(missing).toMatchObject({ status: 404, body: { message: 'Channel not found' } });
    const bad = await ari(asterisk, 'DELETE', `/channels/${call.channelId}`, { query: { reason: 'sleepy' } });
    expect(bad).toMatchObject({ status: 400, body: { message: 'Invalid reason for hangup provided' } });
  });

  it('destroying a bridge takes each channel out before BridgeDestroyed', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const { emId, bridgeId } = await bridgedWithExternalMedia(call.channelId);
    expect((await ari(asterisk, 'DELETE', `/bridges/${bridgeId}`)).status).toBe(204);
    await app.waitForType('BridgeDestroyed');
    const tail = app.types().slice(-5);
    expect(tail).toEqual([
      'ChannelVarset',
      'ChannelLeftBridge',
      'ChannelVarset',
      'ChannelLeftBridge',
      'BridgeDestroyed',
    ]);
    const left = app.events.filter((e) => e['type'] === 'ChannelLeftBridge');
    expect(left.map((e) => e['channel'].id)).toEqual([call.channelId, emId]);
    expect(left.map((e) => e['bridge'].channels)).toEqual([[emId], []]);
    expect(asterisk.channels()).toHaveLength(2);
  });

  it('continues in the dialplan: leaves the bridge, ends Stasis and stays up', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`);
    await bridgedWithExternalMedia(call.channelId);
    const reply = await ari(asterisk, 'POST', `/channels/${call.channelId}/continue`, {
      query: { context: 'operator', extension: '100' },
    });
    expect(reply.status).toBe(204);
    await app.waitForType('StasisEnd', call.channelId);
    expect(app.typesFor(call.channelId).slice(-2)).toEqual(['ChannelLeftBridge', 'StasisEnd']);
    expect(call.continuedTo).toEqual({ context: 'operator', extension: '100', priority: 1 });
    expect(call.alive).toBe(true);
    const again = await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`);
    expect(again).toMatchObject({ status: 409, body: { message: 'Channel not in Stasis application' } });
  });

  it('reports a key press when the key is released', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    await call.pressDigit('5', 80);
    expect(await app.waitForType('ChannelDtmfReceived', call.channelId)).toMatchObject({
      digit: '5',
      duration_ms: 80,
    });
  });

  it('originates an outbound call that enters Stasis answered', async () => {
    const reply = await ari(asterisk, 'POST', '/channels', {
      query: {
        endpoint: 'PJSIP/2000@trunk',
        app: 'callbridge',
        appArgs: 'transfer,1',
        callerId: '"Desk" <100>',
      },
    });
    expect(reply.body).toMatchObject({ state: 'Down', name: expect.stringMatching(/^PJSIP\/trunk-/) });
    const start = await app.waitForType('StasisStart', reply.body.id);
    expect(start).toMatchObject({
      args: ['transfer', '1'],
      channel: { state: 'Up', caller: { name: 'Desk', number: '100' } },
    });
    expect(app.typesFor(reply.body.id)).toEqual([
      'Dial',
      'ChannelStateChange',
      'Dial',
      'ChannelVarset',
      'StasisStart',
    ]);
    expect(asterisk.call(reply.body.id)?.direction).toBe('outbound');
  });
});
