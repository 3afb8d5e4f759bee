// Daemon shutdown ends every call and releases everything; the real process does it on SIGTERM
// and exits 0.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, TEST_SECRETS } from '../support/daemon-harness.ts';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';

describe('shutdown', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('hangs up active calls and releases every resource', async () => {
    harness = await DaemonHarness.start();
    const calls = [await harness.placeCall(), await harness.placeCall({ did: '2000' })];
    for (const call of calls)
      await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
    const { daemon } = harness;
    await daemon.stop();
    for (const call of calls) {
      expect(call.alive).toBe(false);
      expect(call.playbacks).toEqual([]);
      expect(harness.logged('call ended').find((line) => line['channelId'] === call.channelId)).toMatchObject(
        {
          reason: 'shutdown',
          callerOutcome: 'hung_up',
        },
      );
    }
    expect(harness.asterisk.bridges()).toEqual([]);
    expect(harness.asterisk.channels()).toEqual([]);
    expect(daemon.ports.leased).toBe(0);
    expect(harness.realtime.sessions.every((session) => session.closed)).toBe(true);
    expect(harness.asterisk.eventSocketCount).toBe(0);
  });

  it('turns away calls that arrive while stopping', async () => {
    harness = await DaemonHarness.start({
      realtime: { stallHandshake: true },
      env: { OPENAI_CONNECT_TIMEOUT_MS: '400' },
    });
    const first = await harness.placeCall();
    await harness.asterisk.waitFor(() => harness!.realtime.upgradeAttempts.length === 1, 5000);
    const stopping = harness.daemon.stop();
    const late = await harness.placeCall({ did: '3000' });
    await late.waitForHangup(5000);
    await stopping;
    expect(first.alive).toBe(false);
    expect(harness.asterisk.bridges()).toEqual([]);
  });

  it('ends calls and exits 0 on SIGTERM (real process)', async () => {
    const asterisk = await FakeAsterisk.start({ password: TEST_SECRETS.ariPassword });
    const realtime = await FakeRealtimeServer.start({ apiKey: TEST_SECRETS.apiKey });
    try {
      const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../src/main.ts')], {
        env: {
          PATH: process.env['PATH'] ?? '',
          ARI_URL: asterisk.url,
          ARI_PASSWORD: asterisk.password,
          OPENAI_API_KEY: TEST_SECRETS.apiKey,
          OPENAI_BASE_URL: realtime.baseUrl,
          RTP_BIND: '127.0.0.1',
          RTP_PORT_MIN: '39000',
          RTP_PORT_MAX: '39099',
          SHUTDOWN_DRAIN_TIMEOUT_MS: '0',
          ADMIN_PORT: '0',
          STORE_DATA_DIR: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await asterisk.waitFor(() => asterisk.registeredApps().includes('callbridge'), 10_000);
      const call = await asterisk.placeCall({ did: '1000', app: 'callbridge' });
      await call.waitForState('Up', 5000);
      await asterisk.waitFor(() => call.heard.length > 0, 5000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(call.alive).toBe(false);
      expect(asterisk.bridges()).toEqual([]);
      expect(asterisk.channels()).toEqual([]);
      const lines = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.find((line) => line['msg'] === 'call ended')).toMatchObject({ reason: 'shutdown' });
      expect(lines.at(-1)).toMatchObject({ msg: 'stopped', leasedPorts: 0 });
    } finally {
      await asterisk.stop();
      await realtime.stop();
    }
  });
});
