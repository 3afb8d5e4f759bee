import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORGOTTEN_TEXT } from '../../../src/store/call-store.ts';
import { SqliteCallStore } from '../../../src/store/sqlite-call-store.ts';
import { callAt } from '../../support/call-records.ts';

describe('SqliteCallStore caller memory', () => {
  let store: SqliteCallStore;
  beforeEach(() => {
    store = SqliteCallStore.openInMemory();
  });
  afterEach(() => store.close());

  it('has no memory of a caller who never called', async () => {
    expect(await store.getMemory('reception', '+1')).toBeNull();
  });

  it('counts calls, keeps the first call time, moves the last, and replaces the summary', async () => {
    await store.rememberCall('reception', '+1', '2025-03-01T10:00:00.000Z', 'asked about order 1234');
    const second = await store.rememberCall('reception', '+1', '2025-03-02T09:30:00.000Z', 'order arrived');
    const expected = {
      agentId: 'reception',
      callerNumber: '+1',
      callCount: 2,
      firstCallAt: '2025-03-01T10:00:00.000Z',
      lastCallAt: '2025-03-02T09:30:00.000Z',
      summary: 'order arrived',
    };
    expect(second).toStrictEqual(expected);
    expect(await store.getMemory('reception', '+1')).toStrictEqual(expected);
  });

  it('keeps the previous summary when a call brings an empty one', async () => {
    await store.rememberCall('reception', '+1', '2025-03-01T10:00:00.000Z', 'prefers email');
    const memory = await store.rememberCall('reception', '+1', '2025-03-02T10:00:00.000Z', '');
    expect(memory.summary).toBe('prefers email');
    expect(memory.callCount).toBe(2);
  });

  it('remembers a caller separately for each agent', async () => {
    await store.rememberCall('reception', '+1', '2025-03-01T10:00:00.000Z', 'reception notes');
    await store.rememberCall('sales', '+1', '2025-03-01T11:00:00.000Z', 'sales notes');
    expect((await store.getMemory('reception', '+1'))?.summary).toBe('reception notes');
    expect((await store.getMemory('sales', '+1'))?.callCount).toBe(1);
  });

  it('forgets a caller: memory deleted, their records with that agent redacted, timings and cost kept', async () => {
    await store.rememberCall('reception', '+1', '2025-03-01T10:00:00.000Z', 'lives at 1 Main St');
    await store.saveCall(callAt('mine-1', 1, { agentId: 'reception', callerNumber: '+1' }));
    await store.saveCall(callAt('mine-2', 2, { agentId: 'reception', callerNumber: '+1' }));

    expect(await store.forgetCaller('reception', '+1')).toEqual({ memoryDeleted: true, callsRedacted: 2 });
    expect(await store.getMemory('reception', '+1')).toBeNull();

    const original = callAt('mine-1', 1, { agentId: 'reception', callerNumber: '+1' });
    const redacted = await store.getCall('mine-1');
    expect(redacted).toStrictEqual({
      ...original,
      callerName: '',
      turns: original.turns.map((turn) => ({ ...turn, text: FORGOTTEN_TEXT })),
      toolCalls: original.toolCalls.map((call) => ({ ...call, arguments: null, result: null })),
      dtmf: original.dtmf.map((press) => ({ ...press, digits: FORGOTTEN_TEXT })),
    });
    expect(redacted?.usage).toStrictEqual(original.usage);
    expect(redacted?.costUsd).toBe(original.costUsd);
    expect(redacted?.turnLatenciesMs).toStrictEqual(original.turnLatenciesMs);
  });

  it('leaves other callers, and the same caller with other agents, untouched when forgetting', async () => {
    await store.rememberCall('reception', '+1', '2025-03-01T10:00:00.000Z', 'forget me');
    await store.rememberCall('reception', '+2', '2025-03-01T10:00:00.000Z', 'other caller');
    await store.rememberCall('sales', '+1', '2025-03-01T10:00:00.000Z', 'other agent');
    const otherCaller = callAt('other-caller', 1, { agentId: 'reception', callerNumber: '+2' });
    const otherAgent = callAt('other-agent', 2, { agentId: 'sales', callerNumber: '+1' });
    await store.saveCall(otherCaller);
    await store.saveCall(otherAgent);
    await store.saveCall(callAt('mine', 3, { agentId: 'reception', callerNumber: '+1' }));

    await store.forgetCaller('reception', '+1');
    expect(await store.getCall('other-caller')).toStrictEqual(otherCaller);
    expect(await store.getCall('other-agent')).toStrictEqual(otherAgent);
    expect((await store.getMemory('reception', '+2'))?.summary).toBe('other caller');
    expect((await store.getMemory('sales', '+1'))?.summary).toBe('other agent');
  });

  it('reports nothing deleted when forgetting a caller it never knew', async () => {
    expect(await store.forgetCaller('reception', '+9')).toEqual({ memoryDeleted: false, callsRedacted: 0 });
  });

  it('purges memories whose last call is older than a time', async () => {
    await store.rememberCall('reception', '+1', '2025-01-01T10:00:00.000Z', 'old');
    await store.rememberCall('reception', '+2', '2025-01-01T10:00:00.000Z', 'old, but called again');
    await store.rememberCall('reception', '+2', '2025-03-01T10:00:00.000Z', '');
    expect(await store.purgeMemory('2025-02-01T00:00:00.000Z')).toBe(1);
    expect(await store.getMemory('reception', '+1')).toBeNull();
    expect(await store.getMemory('reception', '+2')).not.toBeNull();
  });
});
