import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { EventCollector } from './helpers/event-collector.ts';

describe('bridges and playbacks', () => {
  let asterisk: FakeAsterisk;
  let app: EventCollector;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ playbackDurationMs: 40 });
    app = await EventCollector.connect(asterisk);
  });

  afterEach(async () => {
    await app.close();
    await asterisk.stop();
  });

  it("creates a Stasis mixing bridge with Asterisk's technology and class", async () => {
    const reply = await ari(asterisk, 'POST', '/bridges', {
      query: { type: 'mixing', name: 'call-1', bridgeId: 'b-1' },
    });
    expect(reply.body).toMatchObject({
      id: 'b-1',
      technology: 'simple_bridge',
      bridge_type: 'mixing',
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: 'call-1',
      channels: [],
    });
    // Nobody is subscribed to a brand-new bridge.
    expect(app.types()).not.toContain('BridgeCreated');
    expect(await ari(asterisk, 'POST', '/bridges/b-1')).toMatchObject({ status: 409 });
  });

  it('adds channels one ChannelEnteredBridge at a time, and moves a channel between bridges', async () => {
    const a = await asterisk.placeCall({ did: '1000' });
    const b = await asterisk.placeCall({ did: '1001' });
    const first = (await ari(asterisk, 'POST', '/bridges')).body.id;
    const second = (await ari(asterisk, 'POST', '/bridges')).body.id;
    await ari(asterisk, 'POST', `/bridges/${first}/addChannel`, {
      query: { channel: `${a.channelId},${b.channelId}` },
    });
    const entered = app.events.filter((e) => e['type'] === 'ChannelEnteredBridge');
    expect(entered.map((e) => e['bridge'].channels)).toEqual([[a.channelId], [a.channelId, b.channelId]]);
    await ari(asterisk, 'POST', `/bridges/${second}/addChannel`, { query: { channel: b.channelId } });
    expect(app.types().slice(-3)).toEqual(['ChannelVarset', 'ChannelLeftBridge', 'ChannelEnteredBridge']);
    const missing = await ari(asterisk, 'POST', `/bridges/${first}/removeChannel`, {
      query: { channel: b.channelId },
    });
    expect(missing).toMatchObject({ status: 422, body: { message: 'Channel not in this bridge' } });
    const unknown = await ari(asterisk, 'POST', `/bridges/${first}/addChannel`, {
      query: { channel: 'ghost' },
    });
    expect(unknown).toMatchObject({ status: 400, body: { message: 'Channel not found' } });
  });

  it('plays to a channel: 201 queued, then PlaybackStarted and PlaybackFinished', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const reply = await ari(asterisk, 'POST', `/channels/${call.channelId}/play`, {
      query: { media: 'sound:hello-world,sound:goodbye', playbackId: 'p-1' },
    });
    expect(reply).toMatchObject({
      status: 201,
      body: {
        id: 'p-1',
        media_uri: 'sound:hello-world',
        next_media_uri: 'sound:goodbye',
        target_uri: `channel:${call.channelId}`,
        state: 'queued',
      },
    });
    expect(reply.headers.get('location')).toBe('/playbacks/p-1');
    const finished = await app.waitForType('PlaybackFinished');
    expect(finished['playback']).toMatchObject({ id: 'p-1', state: 'done' });
    expect(app.types().filter((t) => t.startsWith('Playback'))).toEqual([
      'PlaybackStarted',
      'PlaybackContinuing',
      'PlaybackFinished',
    ]);
    expect(call.playbacks).toMatchObject([
      { id: 'p-1', media: ['sound:hello-world', 'sound:goodbye'], state: 'done', stoppedEarly: false },
    ]);
    // Playing to an unanswered call opens early media.
    expect(call.progress).toBe(true);
  });

  it('stops a playback early on DELETE /playbacks', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`);
    const reply = await ari(asterisk, 'POST', `/channels/${call.channelId}/play/p-2`, {
      query: { media: 'sound:long' },
    });
    await app.waitForType('PlaybackStarted');
    expect((await ari(asterisk, 'GET', '/playbacks/p-2')).body.state).toBe('playing');
    expect((await ari(asterisk, 'DELETE', `/playbacks/${reply.body.id}`)).status).toBe(204);
    expect((await app.waitForType('PlaybackFinished'))['playback'].state).toBe('done');
    expect(call.playbacks[0]?.stoppedEarly).toBe(true);
    expect((await ari(asterisk, 'DELETE', '/playbacks/p-2')).status).toBe(404);
  });

  it('fails a playback of an unknown media scheme', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/play`, { query: { media: 'video:cat' } });
    expect((await app.waitForType('PlaybackFinished'))['playback'].state).toBe('failed');
  });

  it('plays to a bridge and records it on every call in it', async () => {
    const call = await asterisk.placeCall({ did: '1000' });
    const bridgeId = (await ari(asterisk, 'POST', '/bridges')).body.id;
    await ari(asterisk, 'POST', `/bridges/${bridgeId}/addChannel`, { query: { channel: call.channelId } });
    const reply = await ari(asterisk, 'POST', `/bridges/${bridgeId}/play`, {
      query: { media: 'sound:beep' },
    });
    expect(reply.body.target_uri).toBe(`bridge:${bridgeId}`);
    await app.waitForType('PlaybackFinished');
    expect(call.playbacks).toHaveLength(1);
  });

  it('refuses media on a channel that has not entered Stasis yet', async () => {
    // A StasisStart delay far longer than two local requests, so a loaded machine cannot win the race.
    await asterisk.stop();
    asterisk = await FakeAsterisk.start({ playbackDurationMs: 40, externalMediaStasisStartDelayMs: 2000 });
    const em = await ari(asterisk, 'POST', '/channels/externalMedia', {
      query: { app: 'callbridge', external_host: '127.0.0.1:9', format: 'ulaw' },
    });
    const early = await ari(asterisk, 'POST', `/channels/${em.body.id}/play`, {
      query: { media: 'sound:x' },
    });
    expect(early).toMatchObject({ status: 409, body: { message: 'Channel not in Stasis application' } });
  });
});
