// Common wiring for media tests: a connected app, an answered call and an externalMedia channel.

import type { FakeAsterisk, PlaceCallOptions } from '../../support/fake-asterisk/fake-asterisk.ts';
import type { FakeCall } from '../../support/fake-asterisk/fake-call.ts';
import { ari } from './ari-rest.ts';
import type { EventCollector } from './event-collector.ts';
import type { GatewaySocket } from './gateway-socket.ts';

export async function answeredCall(
  asterisk: FakeAsterisk,
  options: Partial<PlaceCallOptions> = {},
): Promise<FakeCall> {
  const call = await asterisk.placeCall({ did: '1000', ...options });
  await ari(asterisk, 'POST', `/channels/${call.channelId}/answer`);
  return call;
}

export async function externalMedia(
  asterisk: FakeAsterisk,
  app: EventCollector,
  gateway: GatewaySocket,
  format = 'ulaw',
): Promise<{ id: string; localPort: number }> {
  const reply = await ari(asterisk, 'POST', '/channels/externalMedia', {
    query: { app: 'callbridge', external_host: gateway.hostPort, format },
  });
  await app.waitForType('StasisStart', reply.body.id);
  return { id: reply.body.id, localPort: Number(reply.body.channelvars.UNICASTRTP_LOCAL_PORT) };
}

export async function bridge(asterisk: FakeAsterisk, ...channelIds: string[]): Promise<string> {
  const created = await ari(asterisk, 'POST', '/bridges', { query: { type: 'mixing' } });
  if (channelIds.length > 0) {
    await ari(asterisk, 'POST', `/bridges/${created.body.id}/addChannel`, {
      query: { channel: channelIds.join(',') },
    });
  }
  return created.body.id;
}

export async function snoop(
  asterisk: FakeAsterisk,
  app: EventCollector,
  channelId: string,
  query: Record<string, string>,
): Promise<string> {
  const reply = await ari(asterisk, 'POST', `/channels/${channelId}/snoop`, {
    query: { app: 'callbridge', ...query },
  });
  await app.waitForType('StasisStart', reply.body.id);
  return reply.body.id;
}
