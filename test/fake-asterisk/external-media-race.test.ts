import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

describe('externalMedia', () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;
  let gateway: GatewaySocket;

  beforeEach(async () => {
    // Wide enough that the 422 case does not depend on machine speed.
    asterisk = await FakeAsterisk.start({ externalMediaStasisStartDelayMs: 250 });
    app = await EventCollector.connect(asterisk);
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
    await gateway.close();
  });

  const create = (query: Record<string, string> = {}) =>
    ari(asterisk, 'POST', '/channels/externalMedia', {
      query: { app: 'callbridge', external_host: gateway.hostPort, format: 'ulaw', ...query },
    });

  it('answers with a Down UnicastRTP channel and the local RTP address before its StasisStart', async () => {
    const reply = await create({ data: 'call-42' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      state: 'Down',
      name: expect.stringMatching(new RegExp(`^UnicastRTP/${gateway.hostPort}-0x[0-9a-f]+$`)),
      channelvars: {
        UNICASTRTP_LOCAL_ADDRESS: '127.0.0.1',
        UNICASTRTP_LOCAL_PORT: expect.stringMatching(/^\d+$/),
      },
      dialplan: { app_name: 'AppDial2' },
    });
    expect(app.typesFor(reply.body.id)).toEqual([]);
    const start = await app.waitForType('StasisStart', reply.body.id);
    expect(start).toMatchObject({
      args: ['call-42'],
      channel: { state: 'Up', dialplan: { context: 'default', exten: 's', app_name: 'Stasis' } },
    });
    expect(app.typesFor(reply.body.id)).toEqual([
      'Dial',
      'ChannelStateChange',
      'Dial',
      'ChannelVarset',
      'StasisStart',
    ]);
    const local = asterisk.externalMedia()[0]?.local;
    expect(String(local?.port)).toBe(reply.body.channelvars.UNICASTRTP_LOCAL_PORT);
  });

  it('refuses to bridge the channel before its StasisStart with 422, and accepts it after', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const em = await create();
    const bridge = await ari(asterisk, 'POST', '/bridges');
    const early = await ari(asterisk, 'POST', `/bridges/${bridge.body.id}/addChannel`, {
      query: { channel: `${call.channelId},${em.body.id}` },
    });
    expect(early).toMatchObject({ status: 422, body: { message: 'Channel not in Stasis application' } });
    // Nothing moved: all channels are checked before any is added.
    expect(asterisk.bridges()[0]?.channels).toEqual([]);
    await app.waitForType('StasisStart', em.body.id);
    const late = await ari(asterisk, 'POST', `/bridges/${bridge.body.id}/addChannel`, {
      query: { channel: `${call.channelId},${em.body.id}` },
    });
    expect(late.status).toBe(204);
  });

  it('validates its parameters as Asterisk does', async () => {
    expect(await create({ external_host: '' })).toMatchObject({
      status: 400,
      body: { message: 'external_host cannot be empty' },
    });
    expect(await create({ external_host: '127.0.0.1' })).toMatchObject({
      status: 400,
      body: { message: 'external_host must be <host>:<port>' },
    });
    expect(await create({ format: 'ulaw2' })).toMatchObject({
      status: 400,
      body: { message: 'Provided format (ulaw2) was not found' },
    });
    expect(await create({ app: '' })).toMatchObject({
      status: 400,
      body: { message: 'app cannot be empty' },
    });
    expect(await create({ encapsulation: 'rtp', transport: 'tcp' })).toMatchObject({ status: 501 });
    const first = await create({ channelId: 'em-1' });
    expect(first.body.id).toBe('em-1');
    expect(await create({ channelId: 'em-1' })).toMatchObject({
      status: 409,
      body: { message: 'Channel with given unique ID already exists' },
    });
  });

  it('sets variables from a JSON body and sends alaw as payload type 8', async () => {
    const reply = await ari(asterisk, 'POST', '/channels/externalMedia', {
      query: { app: 'callbridge', external_host: gateway.hostPort, format: 'alaw' },
      json: { variables: { CALL_REF: 'abc' } },
    });
    expect(reply.body.channelvars).toMatchObject({ CALL_REF: 'abc' });
    expect(asterisk.externalMedia()[0]?.format).toBe('alaw');
  });
});
