import ari, { type AriClientInstance } from 'ari-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

// The slice of ari-client's run-time API beyond what callbridge declares.
type Operation = (params?: Record<string, unknown>) => Promise<unknown>;
type FullClient = AriClientInstance & {
  channels: Record<string, Operation>;
  bridges: Record<string, Operation>;
  playbacks: Record<string, Operation>;
  applications: Record<string, Operation>;
  asterisk: Record<string, Operation>;
  start(apps: string): Promise<void>;
  stop(): void;
  on(event: string, listener: (event: Record<string, unknown>, instance: unknown) => void): void;
};

/** swagger-client 2.0.26 announces the Swagger 1.1 docs on console.log while connecting. */
async function quietConnect(asterisk: FakeAsterisk): Promise<FullClient> {
  const log = console.log;
  console.log = () => {};
  try {
    return (await ari.connect(asterisk.url, asterisk.username, asterisk.password)) as FullClient;
  } finally {
    console.log = log;
  }
}

describe('ari-client 2.2.0 against the fake Asterisk', () => {
  let asterisk: FakeAsterisk;
  let gateway: GatewaySocket;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ realtimeAudio: false });
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    await asterisk.stop();
    await gateway.close();
  });

  it('loads the Swagger declarations and exposes the declared operations', async () => {
    const client = await quietConnect(asterisk);
    expect(Object.keys(client.channels)).toEqual(
      expect.arrayContaining([
        'externalMedia',
        'snoopChannel',
        'hangup',
        'answer',
        'play',
        'continueInDialplan',
      ]),
    );
    expect(Object.keys(client.bridges)).toEqual(expect.arrayContaining(['create', 'addChannel', 'destroy']));
    expect(client.channels['record']).toBeUndefined();
  });

  it('drives a whole call: answer, externalMedia, bridge, snoop, play, hang up', async () => {
    const client = await quietConnect(asterisk);
    const seen: Record<string, unknown>[] = [];
    client.on('*', (event) => seen.push(event));
    await client.start('callbridge');
    const call = await asterisk.placeCall({ did: '1000' });

    await client.channels['answer']?.({ channelId: call.channelId });
    const em = (await client.channels['externalMedia']?.({
      app: 'callbridge',
      external_host: gateway.hostPort,
      format: 'ulaw',
    })) as { id: string; channelvars: Record<string, string> };
    expect(em.channelvars['UNICASTRTP_LOCAL_PORT']).toMatch(/^\d+$/);
    await asterisk.waitFor(() =>
      seen.some((e) => e['type'] === 'StasisStart' && (e['channel'] as { id: string }).id === em.id),
    );

    const bridge = (await client.bridges['create']?.({ type: 'mixing', name: 'call' })) as { id: string };
    await client.bridges['addChannel']?.({ bridgeId: bridge.id, channel: [call.channelId, em.id] });
    expect(asterisk.bridges()[0]?.channels).toEqual([call.channelId, em.id]);

    const snoop = (await client.channels['snoopChannel']?.({
      channelId: call.channelId,
      spy: 'in',
      app: 'callbridge',
      appArgs: 'snoop',
    })) as { id: string; name: string };
    expect(snoop.name).toMatch(/^Snoop\//);

    const playback = (await client.channels['play']?.({
      channelId: call.channelId,
      media: 'sound:hello-world',
    })) as {
      id: string;
      state: string;
    };
    expect(playback.state).toBe('queued');
    await asterisk.waitFor(() => seen.some((e) => e['type'] === 'PlaybackFinished'));

    await expect(client.channels['get']?.({ channelId: 'nope' })).rejects.toThrow(/Channel not found/);
    await client.channels['hangup']?.({ channelId: call.channelId });
    await call.waitForHangup();
    await client.bridges['destroy']?.({ bridgeId: bridge.id });
    await client.channels['hangup']?.({ channelId: em.id });
    await asterisk.waitFor(() => asterisk.channels().length === 0);
    expect(seen.map((e) => e['type'])).toEqual(
      expect.arrayContaining(['StasisEnd', 'ChannelDestroyed', 'BridgeDestroyed']),
    );
    client.stop();
  });
});
