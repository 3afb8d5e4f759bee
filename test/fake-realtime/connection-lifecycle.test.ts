import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';
import { RealtimeTestClient, realtimeWsUrl } from '../support/fake-realtime/realtime-test-client.ts';
import { startWithClient } from './fake-realtime-fixture.ts';

const handleKinds = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'] as const;

function countHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of handleKinds) counts[kind] = 0;
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('fake realtime server connection lifecycle', () => {
  it('drop() ends the connection without a close frame (the client sees 1006)', async () => {
    const { client, session } = await startWithClient();
    session.drop();
    const closed = await client.waitForClose();
    expect(closed.code).toBe(1006);
    const info = await session.waitForClose();
    expect(info).toMatchObject({ code: 1006, initiatedBy: 'drop' });
  });

  it('close() sends a close frame with the given code and reason', async () => {
    const { client, session } = await startWithClient();
    session.close(4000, 'test over');
    expect(await client.waitForClose()).toEqual({ code: 4000, reason: 'test over' });
    expect(await session.waitForClose()).toMatchObject({ code: 4000, initiatedBy: 'server' });
    expect(session.closed).toBe(true);
  });

  it('records a client-initiated close', async () => {
    const { client, session } = await startWithClient();
    await client.close();
    const info = await session.waitForClose();
    expect(info).toMatchObject({ code: 1005, initiatedBy: 'client' });
  });

  it('leaves no open handles after stop(), even with streaming and stalled connections', async () => {
    const before = countHandles();
    const rt = await FakeRealtimeServer.start({ deltaIntervalMs: 200, sessionCreatedDelayMs: 0 });
    const client = await RealtimeTestClient.connect(rt.baseUrl);
    const session = await rt.waitForSession();
    client.send({ type: 'response.create' });
    await session.waitForSent('response.output_audio.delta');
    const pendingWait = session.waitFor(() => false, 10_000).catch((error: Error) => error.message);
    rt.setOptions({ stallHandshake: true });
    const stalled = new WebSocket(realtimeWsUrl(rt.baseUrl), {
      headers: { Authorization: 'Bearer sk-test-fake' },
    });
    const stalledClosed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    stalled.on('error', () => {});
    await rt.waitForUpgradeAttempts(2);

    await rt.stop();
    expect(await pendingWait).toContain('server stopped');
    await client.waitForClose();
    await stalledClosed;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(countHandles()).toEqual(before);
  });
});
