import { describe, expect, it } from 'vitest';
import { CallResources } from '../../../src/call/call-resources.ts';

describe('CallResources', () => {
  it('releases in reverse order of creation', async () => {
    const order: string[] = [];
    const resources = new CallResources();
    for (const name of ['port', 'session', 'bridge', 'channel'])
      resources.add(name, () => void order.push(name));
    const report = await resources.releaseAll();
    expect(order).toEqual(['channel', 'bridge', 'session', 'port']);
    expect(report.released).toEqual(order);
  });

  it('keeps going when one release fails, and reports it', async () => {
    const order: string[] = [];
    const resources = new CallResources();
    resources.add('port', () => void order.push('port'));
    resources.add('bridge', () => {
      throw new Error('Bridge not found?');
    });
    resources.add('channel', async () => void order.push('channel'));
    const report = await resources.releaseAll();
    expect(order).toEqual(['channel', 'port']);
    expect(report.failed).toEqual([{ name: 'bridge', error: 'Bridge not found?' }]);
  });

  it('runs each release once even when asked twice', async () => {
    let releases = 0;
    const resources = new CallResources();
    resources.add('port', () => void releases++);
    const [a, b] = await Promise.all([resources.releaseAll(), resources.releaseAll()]);
    expect(releases).toBe(1);
    expect(a).toBe(b);
  });

  it('waits for a creation in flight before releasing it', async () => {
    const events: string[] = [];
    let finishCreation!: () => void;
    const created = new Promise<void>((resolve) => {
      finishCreation = () => {
        events.push('created');
        resolve();
      };
    });
    const resources = new CallResources();
    resources.add('bridge', () => void events.push('destroyed'), created);
    const releasing = resources.releaseAll();
    await Promise.resolve();
    expect(events).toEqual([]);
    finishCreation();
    await releasing;
    expect(events).toEqual(['created', 'destroyed']);
  });

  it('still releases a resource whose creation failed (it may exist)', async () => {
    const events: string[] = [];
    const resources = new CallResources();
    resources.add('channel', () => void events.push('hangup'), Promise.reject(new Error('500')));
    await resources.releaseAll();
    expect(events).toEqual(['hangup']);
  });

  it('releases a resource registered after teardown finished', async () => {
    const events: string[] = [];
    const resources = new CallResources();
    await resources.releaseAll();
    resources.add('late channel', () => void events.push('late'));
    await resources.releaseAll();
    expect(events).toEqual(['late']);
  });
});
