// Bridges and channels an earlier run left in Asterisk are removed at start-up and by the
// periodic job; nothing that belongs to a call in progress is touched.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DaemonHarness, TEST_SECRETS } from '../support/daemon-harness.ts';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';

const auth = (asterisk: FakeAsterisk) =>
  `Basic ${Buffer.from(`${asterisk.username}:${asterisk.password}`).toString('base64')}`;

async function ari(asterisk: FakeAsterisk, method: string, path: string): Promise<number> {
  const response = await fetch(`${asterisk.url}/ari${path}`, {
    method,
    headers: { Authorization: auth(asterisk) },
  });
  await response.body?.cancel();
  return response.status;
}

/** What a crashed earlier run leaves: its bridge and media channels, and a caller parked in the app. */
async function leaveLeftovers(asterisk: FakeAsterisk, callId: string): Promise<string> {
  const socket = new WebSocket(`${asterisk.url.replace('http', 'ws')}/ari/events?app=callbridge`, {
    headers: { Authorization: auth(asterisk) },
  });
  await new Promise((resolve) => socket.once('open', resolve));
  const caller = await asterisk.placeCall({ did: '1000', app: 'callbridge' });
  expect(await ari(asterisk, 'POST', `/bridges/callbridge-br-${callId}?type=mixing`)).toBe(200);
  expect(
    await ari(
      asterisk,
      'POST',
      `/channels/externalMedia?app=callbridge&channelId=callbridge-em-${callId}&external_host=127.0.0.1:9&format=ulaw`,
    ),
  ).toBe(200);
  // Someone else's bridge on the same Asterisk must survive.
  expect(await ari(asterisk, 'POST', '/bridges/conference-room-1?type=mixing')).toBe(200);
  await asterisk.waitFor(() => asterisk.externalMedia()[0]?.inStasis === true);
  socket.terminate();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return caller.channelId;
}

describe('leftover sweeping', () => {
  let harness: DaemonHarness | undefined;
  let asterisk: FakeAsterisk | undefined;
  let realtime: FakeRealtimeServer | undefined;

  afterEach(async () => {
    await harness?.stop();
    await asterisk?.stop();
    await realtime?.stop();
    harness = asterisk = realtime = undefined;
  });

  it('removes what an earlier run left behind when the daemon starts', async () => {
    asterisk = await FakeAsterisk.start({ password: TEST_SECRETS.ariPassword });
    realtime = await FakeRealtimeServer.start({ apiKey: TEST_SECRETS.apiKey });
    const parkedCaller = await leaveLeftovers(asterisk, 'old1');
    const before = asterisk.channels().length;
    expect(before).toBe(2);

    const { daemon, logs } = await DaemonHarness.startDaemon(asterisk, realtime, { LEFTOVER_SWEEP_CRON: '' });
    try {
      expect(asterisk.bridges().map((bridge) => bridge.id)).toEqual(['conference-room-1']);
      expect(asterisk.channels()).toEqual([]);
      expect(asterisk.call(parkedCaller)?.alive).toBe(false);
      expect(logs.filter((line) => line.msg === 'leftover sweep done')[0]).toMatchObject({
        channels: 2,
        bridges: 1,
        failures: 0,
      });
    } finally {
      await daemon.stop();
    }
  });

  it('sweeps periodically without touching calls in progress', async () => {
    harness = await DaemonHarness.start({
      env: { LEFTOVER_SWEEP_CRON: '* * * * * *', LEFTOVER_MIN_AGE_MS: '0' },
    });
    const call = await harness.placeCall();
    await harness.waitForLog('call answered');
    expect(await ari(harness.asterisk, 'POST', '/bridges/callbridge-br-stale2?type=mixing')).toBe(200);
    await harness.asterisk.waitFor(() => harness!.asterisk.bridges().length === 1, 4000);
    // The call's own bridge is the one left, and the call is still up.
    expect(harness.asterisk.bridges()[0]!.id).not.toBe('callbridge-br-stale2');
    expect(call.alive).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(harness.asterisk.bridges()).toHaveLength(1);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
    await harness.expectNothingLeft();
  });
});

describe('leftover sweeping and transferred calls', () => {
  it('never cuts off two people an earlier run bridged, and cleans up after one hangs up', async () => {
    const asterisk = await FakeAsterisk.start({ password: TEST_SECRETS.ariPassword });
    const realtime = await FakeRealtimeServer.start({ apiKey: TEST_SECRETS.apiKey });
    try {
      const socket = new WebSocket(`${asterisk.url.replace('http', 'ws')}/ari/events?app=callbridge`, {
        headers: { Authorization: auth(asterisk) },
      });
      await new Promise((resolve) => socket.once('open', resolve));
      const caller = await asterisk.placeCall({ did: '1000', app: 'callbridge' });
      expect(
        await ari(
          asterisk,
          'POST',
          '/channels?endpoint=PJSIP/101&app=callbridge&channelId=callbridge-xfer-old2',
        ),
      ).toBe(200);
      await asterisk.waitFor(() =>
        asterisk.channels().some((c) => c.id === 'callbridge-xfer-old2' && c.state === 'Up'),
      );
      expect(await ari(asterisk, 'POST', '/bridges/callbridge-xbr-old2?type=mixing')).toBe(200);
      expect(
        await ari(
          asterisk,
          'POST',
          `/bridges/callbridge-xbr-old2/addChannel?channel=${caller.channelId},callbridge-xfer-old2`,
        ),
      ).toBe(204);
      socket.terminate();
      await new Promise((resolve) => setTimeout(resolve, 50));

      const { daemon } = await DaemonHarness.startDaemon(asterisk, realtime, { LEFTOVER_MIN_AGE_MS: '0' });
      try {
        expect(asterisk.bridges().map((bridge) => bridge.id)).toEqual(['callbridge-xbr-old2']);
        expect(caller.alive).toBe(true);
        asterisk.call('callbridge-xfer-old2')?.hangup();
        await asterisk.waitFor(() => asterisk.bridges()[0]?.channels.length === 1);
        await daemon.sweeper.sweep(Date.now());
        expect(asterisk.bridges()).toEqual([]);
        expect(caller.alive).toBe(false);
      } finally {
        await daemon.stop();
      }
    } finally {
      await asterisk.stop();
      await realtime.stop();
    }
  });
});
