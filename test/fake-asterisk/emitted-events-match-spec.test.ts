import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMITTED_EVENT_TYPES } from '../support/fake-asterisk/ari-models.ts';
import type { SentEvent } from '../support/fake-asterisk/event-router.ts';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';
import { allSpecModels, type SpecModel, specAvailable } from './helpers/asterisk-spec.ts';
import { answeredCall, bridge, externalMedia, snoop } from './helpers/call-setup.ts';
import { EventCollector } from './helpers/event-collector.ts';
import { GatewaySocket } from './helpers/gateway-socket.ts';

const PRIMITIVES = new Set(['string', 'int', 'long', 'double', 'boolean', 'object', 'Date']);

/** Paths of required properties that are missing, following nested models. */
function missingRequired(
  value: unknown,
  model: SpecModel,
  models: Map<string, SpecModel>,
  at: string,
): string[] {
  const missing: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const [name, prop] of Object.entries(model.properties)) {
    const v = obj[name];
    if (v === undefined) {
      if (prop.required) missing.push(`${at}.${name}`);
      continue;
    }
    const list = /^List\[(.+)\]$/.exec(prop.type)?.[1];
    const nested = models.get(list ?? prop.type);
    if (nested && !PRIMITIVES.has(nested.id)) {
      const items = list ? (v as unknown[]) : [v];
      for (const [i, item] of items.entries()) {
        missing.push(...missingRequired(item, nested, models, `${at}.${name}${list ? `[${i}]` : ''}`));
      }
    }
  }
  return missing;
}

describe('events the fake emits over a whole call carry what events.json requires', () => {
  let asterisk: FakeAsterisk;
  let gateway: GatewaySocket;
  const collectors: EventCollector[] = [];

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ playbackDurationMs: 10 });
    gateway = await GatewaySocket.open();
  });

  afterEach(async () => {
    for (const c of collectors.splice(0)) await c.close();
    await asterisk.stop();
    await gateway.close();
  });

  async function driveWholeCall(): Promise<readonly SentEvent[]> {
    collectors.push(await EventCollector.connect(asterisk, 'monitor', '&subscribeAll=true'));
    collectors.push(await EventCollector.connect(asterisk));
    const app = await EventCollector.connect(asterisk);
    collectors.push(app);
    const call = await answeredCall(asterisk);
    const em = await externalMedia(asterisk, app, gateway);
    const bridgeId = await bridge(asterisk, call.channelId, em.id);
    const spy = await snoop(asterisk, app, call.channelId, { spy: 'in' });
    await ari(asterisk, 'POST', `/channels/${call.channelId}/play`, { query: { media: 'sound:a,sound:b' } });
    await app.waitForType('PlaybackFinished');
    await call.pressDigit('1', 10);
    await ari(asterisk, 'POST', `/channels/${call.channelId}/variable`, {
      query: { variable: 'X', value: '1' },
    });
    call.hangup();
    await app.waitForType('StasisEnd', spy);
    await ari(asterisk, 'DELETE', `/bridges/${bridgeId}`);
    await ari(asterisk, 'DELETE', `/channels/${em.id}`);
    await app.waitForType('ChannelDestroyed', em.id);
    return asterisk.events;
  }

  it.skipIf(!specAvailable)(
    'every emitted event has its model required properties, nested models included',
    async () => {
      const events = await driveWholeCall();
      const models = allSpecModels();
      const message = models.get('Message');
      const event = models.get('Event');
      expect(message && event).toBeTruthy();
      for (const e of events) {
        const model = models.get(e.type);
        expect(model, e.type).toBeDefined();
        if (!model || !message || !event) continue;
        const missing = [message, event, model].flatMap((m) => missingRequired(e, m, models, e.type));
        expect(missing, JSON.stringify(e)).toEqual([]);
        expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      }
    },
  );

  it('emits every event type it declares during a whole call', async () => {
    const events = await driveWholeCall();
    expect([...new Set(events.map((e) => e.type))].sort()).toEqual([...EMITTED_EVENT_TYPES].sort());
  });
});
