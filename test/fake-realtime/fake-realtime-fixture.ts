import { afterEach } from 'vitest';
import {
  FakeRealtimeServer,
  type FakeRealtimeStartOptions,
} from '../support/fake-realtime/fake-realtime-server.ts';
import type { FakeRealtimeSession } from '../support/fake-realtime/fake-realtime-session.ts';
import {
  type RealtimeConnectOptions,
  RealtimeTestClient,
} from '../support/fake-realtime/realtime-test-client.ts';

const running: FakeRealtimeServer[] = [];
const clients: RealtimeTestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  await Promise.all(running.splice(0).map((rt) => rt.stop()));
});

export async function startFakeRealtime(options: FakeRealtimeStartOptions = {}): Promise<FakeRealtimeServer> {
  const rt = await FakeRealtimeServer.start(options);
  running.push(rt);
  return rt;
}

export async function connectClient(
  rt: FakeRealtimeServer,
  options: RealtimeConnectOptions = {},
): Promise<{ client: RealtimeTestClient; session: FakeRealtimeSession }> {
  const index = rt.sessions.length;
  const client = await RealtimeTestClient.connect(rt.baseUrl, options);
  clients.push(client);
  const session = await rt.waitForSession(index);
  return { client, session };
}

/** A server plus one connected client that has seen session.created. */
export async function startWithClient(
  options: FakeRealtimeStartOptions = {},
): Promise<{ rt: FakeRealtimeServer; client: RealtimeTestClient; session: FakeRealtimeSession }> {
  const rt = await startFakeRealtime(options);
  const { client, session } = await connectClient(rt);
  await client.waitForEvent('session.created');
  return { rt, client, session };
}
