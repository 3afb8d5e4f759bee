import { describe, expect, it } from 'vitest';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import { waitUntil } from '../support/fake-asterisk/wait-until.ts';
import { ari } from './helpers/ari-rest.ts';
import { answeredCall, bridge, externalMedia, snoop } from './helpers/call-setup.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

const WATCHED = ['UDPWrap', 'TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function counts(): Record<string, number> {
  const result: Record<string, number> = Object.fromEntries(WATCHED.map((t) => [t, 0]));
  for (const type of process.getActiveResourcesInfo())
    if (type in result) result[type] = (result[type] ?? 0) + 1;
  return result;
}

const noMoreThan = (now: Record<string, number>, before: Record<string, number>): boolean =>
  WATCHED.every((t) => (now[t] ?? 0) <= (before[t] ?? 0));

describe('FakeAsterisk.stop()', () => {
  it('closes every server, socket and timer it started, even mid-call', async () => {
    const gateway = await GatewaySocket.open();
    const before = counts();
    const asterisk = await FakeAsterisk.start({ playbackDurationMs: 5000 });
    const app = await EventCollector.connect(asterisk);
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    await bridge(asterisk, call.channelId, em.id);
    await snoop(asterisk, app, call.channelId, { spy: 'in' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/play`, { query: { media: 'sound:long' } });
    const talking = call.sendAudio(tone(400, 2000, 'ulaw'));
    await call.sendRtpRaw(Buffer.alloc(12), { foreign: true });
    await gateway.waitForPackets(2);

    await asterisk.stop();
    const result = await talking;
    expect(result.delivered + result.dropped).toBe(result.frames);
    expect(app.closed).toBe(true);
    await waitUntil(() => noMoreThan(counts(), before), 1000, 'resources to be released');
    expect(noMoreThan(counts(), before)).toBe(true);
    await gateway.close();
  });
});
