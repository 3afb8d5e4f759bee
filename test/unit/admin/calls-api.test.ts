import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsApi } from '../../../src/admin/calls-api.ts';
import type { CallListItem, CallStore } from '../../../src/store/call-store.ts';
import { SqliteCallStore } from '../../../src/store/sqlite-call-store.ts';
import { callAt } from '../../support/call-records.ts';

interface ListBody {
  calls: CallListItem[];
  next: string | null;
}

describe('calls HTTP API', () => {
  let store: SqliteCallStore;
  let server: Server;
  let base: string;
  const storeErrors: unknown[] = [];

  beforeAll(async () => {
    store = SqliteCallStore.openInMemory();
    // Five calls, two of them in the same millisecond, to page across.
    await store.saveCall(callAt('a', 1));
    await store.saveCall(callAt('b', 2, { agentId: 'sales' }));
    await store.saveCall(callAt('c', 3, { callerNumber: '+4940999' }));
    await store.saveCall(callAt('d', 3));
    await store.saveCall(callAt('e/1', 4));
    const api = createCallsApi(store, { onError: (error) => storeErrors.push(error) });
    const failing = createCallsApi(
      {
        listCalls: () => Promise.reject(new Error('disk I/O error')),
        getCall: () => Promise.reject(new Error('disk I/O error')),
      } as unknown as CallStore,
      { onError: (error) => storeErrors.push(error) },
    );
    server = createServer((req, res) => {
      const handler = req.url?.startsWith('/broken/') ? failing : api;
      if (req.url?.startsWith('/broken/')) req.url = req.url.slice('/broken'.length);
      void handler(req, res).then((handled) => {
        if (!handled) res.writeHead(418).end('not mine');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    store.close();
  });

  async function get(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  it('lists calls newest first, 50 by default, with no next page when all fit', async () => {
    const { status, body, headers } = await get('/api/calls');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-store');
    const list = body as ListBody;
    expect(list.calls.map((call) => call.id)).toEqual(['e/1', 'd', 'c', 'b', 'a']);
    expect(list.calls[0]).toMatchObject({ durationMs: 60_000, turns: 4, endReason: 'caller_hangup' });
    expect(list.next).toBeNull();
  });

  it('pages with next until it is null, ties in arrival included', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/calls?limit=2';
    while (path !== null) {
      const list: ListBody = (await get(path)).body as ListBody;
      seen.push(...list.calls.map((call) => call.id));
      path = list.next === null ? null : `/api/calls?limit=2&before=${encodeURIComponent(list.next)}`;
    }
    expect(seen).toEqual(['e/1', 'd', 'c', 'b', 'a']);
  });

  it('filters by agent and by caller', async () => {
    const byAgent = (await get('/api/calls?agent=sales')).body as ListBody;
    expect(byAgent.calls.map((call) => call.id)).toEqual(['b']);
    const byCaller = (await get('/api/calls?caller=%2B4940999')).body as ListBody;
    expect(byCaller.calls.map((call) => call.id)).toEqual(['c']);
  });

  it.each(['0', '501', 'ten', '1.5', '-3'])(
    'refuses limit=%s with a 400 naming the parameter',
    async (limit) => {
      const { status, body } = await get(`/api/calls?limit=${limit}`);
      expect(status).toBe(400);
      expect(body).toEqual({ error: 'limit must be a whole number from 1 to 500' });
    },
  );

  it('refuses an unreadable before cursor with a 400 naming the parameter', async () => {
    const { status, body } = await get('/api/calls?before=yesterday');
    expect(status).toBe(400);
    expect((body as { error: string }).error).toMatch(/^before /);
  });

  it('serves one call by id, percent-encoded ids included', async () => {
    const { status, body } = await get('/api/calls/d');
    expect(status).toBe(200);
    expect(body).toStrictEqual(callAt('d', 3));
    expect((await get(`/api/calls/${encodeURIComponent('e/1')}`)).body).toMatchObject({ id: 'e/1' });
  });

  it('answers 404 with an error for an unknown id', async () => {
    expect(await get('/api/calls/zzz')).toMatchObject({
      status: 404,
      body: { error: 'no call with id "zzz"' },
    });
    expect((await get('/api/calls/d/extra')).status).toBe(404);
  });

  it('answers 405 to anything but GET', async () => {
    const { status, body, headers } = await get('/api/calls', { method: 'POST', body: '{}' });
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('GET');
    expect(body).toEqual({ error: 'method POST not allowed; use GET' });
    expect((await get('/api/calls/a', { method: 'DELETE' })).status).toBe(405);
  });

  it('leaves other paths to the server that mounts it', async () => {
    for (const path of ['/', '/api/callsx', '/api/agents']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(418);
      await response.text();
    }
  });

  it('answers 500 without details when the store fails, and reports the error', async () => {
    storeErrors.length = 0;
    expect(await get('/broken/api/calls')).toMatchObject({
      status: 500,
      body: { error: 'the call store failed' },
    });
    expect(await get('/broken/api/calls/a')).toMatchObject({ status: 500 });
    expect(storeErrors.map((error) => (error as Error).message)).toEqual([
      'disk I/O error',
      'disk I/O error',
    ]);
  });
});
