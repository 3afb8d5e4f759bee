import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCursorOf } from '../../../src/store/call-store.ts';
import { SqliteCallStore } from '../../../src/store/sqlite-call-store.ts';
import { callAt, callRecord } from '../../support/call-records.ts';

describe('SqliteCallStore call records', () => {
  let store: SqliteCallStore;
  beforeEach(() => {
    store = SqliteCallStore.openInMemory({ exportPageSize: 3 });
  });
  afterEach(() => store.close());

  it('returns a saved record exactly as it was given', async () => {
    const record = callRecord();
    await store.saveCall(record);
    expect(await store.getCall(record.id)).toStrictEqual(record);
  });

  it('keeps a call that was never answered and has no cost', async () => {
    const record = callRecord({ answeredAt: null, costUsd: null, turns: [], media: {} });
    await store.saveCall(record);
    expect(await store.getCall(record.id)).toStrictEqual(record);
  });

  it('answers null for an unknown id', async () => {
    expect(await store.getCall('nope')).toBeNull();
  });

  it('replaces a record saved again under the same id', async () => {
    await store.saveCall(callRecord({ endReason: 'shutdown' }));
    await store.saveCall(callRecord({ endReason: 'caller_hangup' }));
    expect((await store.getCall('call-1'))?.endReason).toBe('caller_hangup');
    expect(await store.listCalls({ limit: 10 })).toHaveLength(1);
  });

  it('stores times in UTC with milliseconds whatever offset they were given in', async () => {
    await store.saveCall(
      callRecord({ arrivedAt: '2025-03-01T11:00:00+01:00', endedAt: '2025-03-01T11:01:00.5+01:00' }),
    );
    const saved = await store.getCall('call-1');
    expect(saved?.arrivedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(saved?.endedAt).toBe('2025-03-01T10:01:00.500Z');
  });

  it('refuses a record with an unreadable time or one that ends before it arrives', async () => {
    await expect(store.saveCall(callRecord({ arrivedAt: 'yesterday' }))).rejects.toThrow(/arrivedAt/);
    await expect(store.saveCall(callRecord({ endedAt: '2025-03-01T09:00:00.000Z' }))).rejects.toThrow(
      /before it arrives/,
    );
  });

  it('lists newest first with the summary fields, up to the limit', async () => {
    for (const [id, minute] of [
      ['b', 2],
      ['a', 1],
      ['c', 3],
    ] as const)
      await store.saveCall(callAt(id, minute));
    const calls = await store.listCalls({ limit: 2 });
    expect(calls.map((call) => call.id)).toEqual(['c', 'b']);
    expect(calls[0]).toStrictEqual({
      id: 'c',
      dialled: '200',
      callerNumber: '+4930123456',
      agentId: 'reception',
      arrivedAt: '2025-03-01T10:03:00.000Z',
      answeredAt: '2025-03-01T10:03:01.000Z',
      endedAt: '2025-03-01T10:04:00.000Z',
      durationMs: 60_000,
      endReason: 'caller_hangup',
      turns: 4,
      costUsd: 0.12345,
    });
  });

  it('pages with a cursor without skipping or repeating calls that arrived in the same millisecond', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await store.saveCall(callAt(id, 0));
    await store.saveCall(callAt('older', -1));
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await store.listCalls({ limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((call) => call.id));
      before = listCursorOf(page[page.length - 1]!);
    }
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a', 'older']);
  });

  it('takes a bare time as a cursor: calls that arrived strictly before it', async () => {
    for (const [id, minute] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await store.saveCall(callAt(id, minute));
    const calls = await store.listCalls({ limit: 10, before: '2025-03-01T10:02:00.000Z' });
    expect(calls.map((call) => call.id)).toEqual(['a']);
  });

  it('filters the list by agent, by caller, and by both', async () => {
    await store.saveCall(callAt('r1', 1, { agentId: 'reception', callerNumber: '+1' }));
    await store.saveCall(callAt('s1', 2, { agentId: 'sales', callerNumber: '+1' }));
    await store.saveCall(callAt('r2', 3, { agentId: 'reception', callerNumber: '+2' }));
    const ids = async (query: { agentId?: string; callerNumber?: string }) =>
      (await store.listCalls({ limit: 10, ...query })).map((call) => call.id);
    expect(await ids({ agentId: 'reception' })).toEqual(['r2', 'r1']);
    expect(await ids({ callerNumber: '+1' })).toEqual(['s1', 'r1']);
    expect(await ids({ agentId: 'reception', callerNumber: '+1' })).toEqual(['r1']);
    expect(await ids({ agentId: 'nobody' })).toEqual([]);
  });

  it('refuses a limit below one', async () => {
    await expect(store.listCalls({ limit: 0 })).rejects.toThrow(/limit/);
  });

  it('exports every call oldest first across pages, and from a time on with since', async () => {
    const minutes = [5, 1, 3, 0, 4, 2, 6];
    for (const minute of minutes) await store.saveCall(callAt(`m${minute}`, minute));
    const all: string[] = [];
    for await (const record of store.exportCalls({})) all.push(record.id);
    expect(all).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);

    const since: string[] = [];
    for await (const record of store.exportCalls({ since: '2025-03-01T10:03:00.000Z' }))
      since.push(record.id);
    expect(since).toEqual(['m3', 'm4', 'm5', 'm6']);
  });

  it('exports full records, ties in arrival included', async () => {
    for (const id of ['x', 'y', 'z', 'w']) await store.saveCall(callAt(id, 0));
    const records = [];
    for await (const record of store.exportCalls({})) records.push(record);
    expect(records.map((record) => record.id)).toEqual(['w', 'x', 'y', 'z']);
    expect(records[0]).toStrictEqual(callAt('w', 0));
  });

  it('purges the calls that ended before a time and keeps the rest', async () => {
    await store.saveCall(callAt('old', 0));
    await store.saveCall(callAt('new', 10));
    expect(await store.purgeCalls('2025-03-01T10:05:00.000Z')).toBe(1);
    expect(await store.getCall('old')).toBeNull();
    expect(await store.getCall('new')).not.toBeNull();
    expect(await store.purgeCalls('2025-03-01T10:05:00.000Z')).toBe(0);
  });
});
