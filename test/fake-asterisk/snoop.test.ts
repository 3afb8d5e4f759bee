import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { EventCollector } from './helpers/event-collector.ts';

describe('snoop channels', () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start();
    app = await EventCollector.connect(asterisk);
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
  });

  it('creates an Up Snoop channel that enters the app with its appArgs', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const reply = await ari(asterisk, 'POST', `/channels/${call.channelId}/snoop`, {
      query: { spy: 'in', app: 'callbridge', appArgs: 'snoop' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      state: 'Up',
      name: expect.stringMatching(new RegExp(`^Snoop/${call.channelId}-[0-9a-f]{8}$`)),
    });
    const start = await app.waitForType('StasisStart', reply.body.id);
    expect(start).toMatchObject({
      args: ['snoop'],
      channel: { dialplan: { app_name: 'Stasis', app_data: 'callbridge,snoop' } },
    });
  });

  it('takes its id from the path with snoopChannelWithId', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const reply = await ari(asterisk, 'POST', `/channels/${call.channelId}/snoop/spy-1`, {
      query: { whisper: 'out', app: 'callbridge' },
    });
    expect(reply.body.id).toBe('spy-1');
    expect(await app.waitForType('StasisStart', 'spy-1')).toMatchObject({ args: [] });
  });

  it('refuses a snoop that neither spies nor whispers, and one on a missing channel', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const none = await ari(asterisk, 'POST', `/channels/${call.channelId}/snoop`, {
      query: { app: 'callbridge' },
    });
    expect(none).toMatchObject({
      status: 400,
      body: { message: 'Direction must be specified for at least spy or whisper' },
    });
    const bad = await ari(asterisk, 'POST', `/channels/${call.channelId}/snoop`, {
      query: { app: 'callbridge', spy: 'up' },
    });
    expect(bad).toMatchObject({ status: 400, body: { message: 'Invalid direction specified for spy' } });
    const missing = await ari(asterisk, 'POST', '/channels/nope/snoop', {
      query: { app: 'callbridge', spy: 'in' },
    });
    expect(missing).toMatchObject({ status: 404, body: { message: 'Provided channel was not found' } });
  });

  it('hangs itself up shortly after the snooped channel is gone', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const snoop = await ari(asterisk, 'POST', `/channels/${call.channelId}/snoop`, {
      query: { spy: 'both', app: 'callbridge', appArgs: 'snoop' },
    });
    await app.waitForType('StasisStart', snoop.body.id);
    const bridge = await ari(asterisk, 'POST', '/bridges');
    await ari(asterisk, 'POST', `/bridges/${bridge.body.id}/addChannel`, {
      query: { channel: snoop.body.id },
    });
    call.hangup();
    await app.waitForType('StasisEnd', snoop.body.id);
    // Its read returns NULL: no hangup request is published, it just leaves.
    expect(app.typesFor(snoop.body.id)).toEqual([
      'StasisStart',
      'ChannelEnteredBridge',
      'ChannelLeftBridge',
      'StasisEnd',
    ]);
    await asterisk.waitFor(() => asterisk.channels().length === 0);
    expect(asterisk.bridges()[0]?.channels).toEqual([]);
  });
});
