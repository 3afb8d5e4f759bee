import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallDeclinedError, FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { EventCollector } from './helpers/event-collector.ts';

describe('the events WebSocket', () => {
  let asterisk: FakeAsterisk;
  const collectors: EventCollector[] = [];

  const connect = async (app = 'callbridge', extra = ''): Promise<EventCollector> => {
    const c = await EventCollector.connect(asterisk, app, extra);
    collectors.push(c);
    return c;
  };

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start();
  });

  afterEach(async () => {
    for (const c of collectors.splice(0)) await c.close();
    await asterisk.stop();
  });

  it('registers the app only while connected', async () => {
    const app = await connect();
    expect(asterisk.registeredApps()).toEqual(['callbridge']);
    expect((await ari(asterisk, 'GET', '/applications/callbridge')).body).toMatchObject({
      name: 'callbridge',
    });
    await app.close();
    await asterisk.waitFor(() => asterisk.registeredApps().length === 0);
    await expect(asterisk.placeCall({ did: '1000' })).rejects.toBeInstanceOf(CallDeclinedError);
  });

  it('replaces an earlier connection for the same app with ApplicationReplaced and closes it', async () => {
    const first = await connect();
    const second = await connect();
    await first.waitForType('ApplicationReplaced');
    await asterisk.waitFor(() => first.closed);
    const call = await asterisk.placeCall({ did: '1000' });
    await second.waitForType('StasisStart', call.channelId);
    expect(first.types()).toEqual(['ApplicationReplaced']);
    expect(asterisk.events[0]).toMatchObject({ type: 'ApplicationReplaced', application: 'callbridge' });
  });

  it('drops every socket abruptly on request, unregistering the apps at once', async () => {
    const app = await connect();
    asterisk.dropEventSockets();
    expect(asterisk.registeredApps()).toEqual([]);
    await asterisk.waitFor(() => app.closed);
    expect(app.closeCode).toBe(1006);
  });

  it('delivers raw text, malformed or not, to every subscriber', async () => {
    const a = await connect('one');
    const b = await connect('two');
    expect(asterisk.sendRawEvent('{"type": "StasisStart", "channel": ')).toBe(2);
    await asterisk.waitFor(() => a.raw.length === 1 && b.raw.length === 1);
    expect(a.raw[0]).toBe('{"type": "StasisStart", "channel": ');
  });

  it('sends everything to a subscribeAll app, including bridge creation', async () => {
    const all = await connect('monitor', '&subscribeAll=true');
    await connect();
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', '/bridges');
    await all.waitForType('BridgeCreated');
    call.hangup();
    await all.waitForType('ChannelDestroyed', call.channelId);
    expect(all.events.every((e) => e['application'] === 'monitor')).toBe(true);
  });

  it('forgets everything on restart and refuses connections until it is back', async () => {
    const app = await connect();
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', '/bridges');
    const restarted = asterisk.restart({ downMs: 500 });
    await asterisk.waitFor(() => app.closed);
    await expect(fetch(`${asterisk.url}/ari/asterisk/ping`)).rejects.toThrow();
    await restarted;
    expect(call.alive).toBe(false);
    expect(call.hungUpBy).toBe('restart');
    expect(asterisk.channels()).toEqual([]);
    expect(asterisk.bridges()).toEqual([]);
    expect((await ari(asterisk, 'GET', '/asterisk/ping')).status).toBe(200);
    const again = await connect();
    const next = await asterisk.placeCall({ did: '1001' });
    await again.waitForType('StasisStart', next.channelId);
  });
});
