// Asterisk-side trouble: a failing ARI operation, a caller who hangs up while we prepare,
// the externalMedia reply racing its StasisStart, and malformed events on the socket.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, type HarnessOptions } from '../support/daemon-harness.ts';

describe('ARI trouble', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function start(options: HarnessOptions = {}): Promise<DaemonHarness> {
    harness = await DaemonHarness.start(options);
    return harness;
  }

  it('falls back and releases what was created when externalMedia answers 500', async () => {
    const h = await start();
    h.asterisk.failNext({ method: 'POST', path: /\/channels\/externalMedia$/ }, 500, 'Internal Server Error');
    const call = await h.placeCall();
    await call.waitForHangup(5000);
    expect(call.playbacks.flatMap((playback) => playback.media)).toEqual(['sound:an-error-has-occured']);
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'media_failed', callerOutcome: 'played_and_hung_up' });
    expect(h.logged('ending call').at(-1)?.['cause']).toMatch(
      /media set-up failed at externalMedia: ARI channels.externalMedia failed: Internal Server Error/,
    );
    expect(ended['released']).toEqual(
      expect.arrayContaining(['snoop channel', 'bridge', 'realtime session']),
    );
    await h.expectNothingLeft();
  });

  it('bridges the externalMedia channel only after its StasisStart, however late', async () => {
    const h = await start({ asterisk: { externalMediaStasisStartDelayMs: 150 } });
    const call = await h.placeCall();
    await h.waitForLog('call answered');
    const addChannel = h.asterisk.requests.filter((request) => request.path.endsWith('/addChannel'));
    expect(addChannel.map((request) => request.status)).toEqual([204]);
    call.hangup();
    await h.waitForCallEnded(call.channelId);
    await h.expectNothingLeft();
  });

  it('leaves nothing behind when the caller hangs up while the call is being prepared', async () => {
    const h = await start({
      realtime: { sessionCreatedDelayMs: 0, firstAudioDelayMs: 0, stallHandshake: true },
    });
    const call = await h.placeCall();
    await h.asterisk.waitFor(
      () => h.asterisk.bridges().length === 1 && h.realtime.upgradeAttempts.length === 1,
      5000,
    );
    call.hangup();
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'caller_hangup', callerOutcome: 'gone' });
    expect(call.answered).toBe(false);
    await h.expectNothingLeft();
  });

  it('counts malformed and unknown events and keeps taking calls', async () => {
    const h = await start();
    h.asterisk.sendRawEvent('{not json');
    h.asterisk.sendRawEvent(JSON.stringify({ type: 'StasisStart', application: 'callbridge' }));
    h.asterisk.sendRawEvent(JSON.stringify({ type: 'SomethingNew', application: 'callbridge' }));
    await h.waitForLog('dropped a malformed ARI event', (line) => line['reason'] === 'channel missing');
    const call = await h.placeCall();
    await call.waitForState('Up', 5000);
    expect(h.daemon.events.stats).toMatchObject({ malformed: 2 });
    expect(h.daemon.events.stats.unknownTypes).toBeGreaterThanOrEqual(1);
    call.hangup();
    await h.waitForCallEnded(call.channelId);
  });

  it('ends the call when Asterisk loses our media channel mid-call', async () => {
    const h = await start();
    const call = await h.placeCall();
    await h.waitForLog('call answered');
    const externalMedia = h.asterisk.externalMedia()[0]!;
    const response = await fetch(`${h.asterisk.url}/ari/channels/${externalMedia.channelId}`, {
      method: 'DELETE',
      headers: {
        Authorization: `Basic ${Buffer.from(`${h.asterisk.username}:${h.asterisk.password}`).toString('base64')}`,
      },
    });
    expect(response.status).toBe(204);
    await call.waitForHangup(5000);
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({ reason: 'media_lost' });
    await h.expectNothingLeft();
  });
});
