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

export const lookupOrderTool = {
  type: 'function',
  name: 'lookup_order',
  description: 'Look up an order by its number.',
  parameters: { type: 'object', properties: { orderNumber: { type: 'string' } }, required: ['orderNumber'] },
} as const;

export const endCallTool = {
  type: 'function',
  name: 'end_call',
  description: 'End the call after saying goodbye.',
  parameters: { type: 'object', properties: { reason: { type: 'string' } } },
} as const;

/** G.711 μ-law both ways plus the two tools above, as the daemon would configure a call. */
export async function startWithTools(
  options: FakeRealtimeStartOptions = {},
): Promise<{ rt: FakeRealtimeServer; client: RealtimeTestClient; session: FakeRealtimeSession }> {
  const started = await startWithClient(options);
  await started.client.useG711('audio/pcmu', { tools: [lookupOrderTool, endCallTool], tool_choice: 'auto' });
  return started;
}
