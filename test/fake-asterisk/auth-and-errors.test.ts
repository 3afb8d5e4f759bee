import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { ari } from './helpers/ari-rest.ts';

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (err) => {
      if (!String(err).includes('Unexpected server response')) reject(err);
    });
  });
}

describe('ARI authentication and error answers', () => {
  let asterisk: FakeAsterisk;

  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ username: 'gw', password: 'pw' });
  });

  afterEach(async () => {
    await asterisk.stop();
  });

  it('accepts Basic auth or api_key, and answers 401 with a challenge otherwise', async () => {
    expect((await ari(asterisk, 'GET', '/asterisk/ping')).status).toBe(200);
    expect(
      (await ari(asterisk, 'GET', '/asterisk/ping', { auth: false, query: { api_key: 'gw:pw' } })).status,
    ).toBe(200);
    const anonymous = await ari(asterisk, 'GET', '/channels', { auth: false });
    expect(anonymous).toMatchObject({ status: 401, body: { message: 'Authentication required' } });
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Asterisk REST Interface"');
    const wrong = await ari(asterisk, 'GET', '/channels', { auth: { username: 'gw', password: 'nope' } });
    expect(wrong.status).toBe(401);
    // A Basic header is judged alone, as res_ari does: a good api_key does not rescue it.
    const both = await ari(asterisk, 'GET', '/channels', {
      auth: { username: 'gw', password: 'nope' },
      query: { api_key: 'gw:pw' },
    });
    expect(both.status).toBe(401);
    expect((await ari(asterisk, 'GET', '/api-docs/resources.json', { auth: false })).status).toBe(401);
  });

  it('refuses the events WebSocket upgrade without credentials or without an app', async () => {
    const base = `ws://127.0.0.1:${asterisk.port}/ari/events`;
    expect(await upgradeStatus(`${base}?app=callbridge&api_key=gw:nope`)).toBe(401);
    expect(await upgradeStatus(`${base}?api_key=gw:pw`)).toBe(400);
    expect(await upgradeStatus(`${base}?app=callbridge&api_key=gw:pw`)).toBe(101);
    expect(asterisk.requests.filter((r) => r.path === '/ari/events').map((r) => r.status)).toEqual([
      401, 400, 101,
    ]);
  });

  it('builds basePath from the Host header the client used', async () => {
    const listing = await ari(asterisk, 'GET', '/api-docs/resources.json');
    expect(listing.body).toMatchObject({
      swaggerVersion: '1.1',
      basePath: `http://127.0.0.1:${asterisk.port}/ari`,
    });
    const channels = await ari(asterisk, 'GET', '/api-docs/channels.json');
    expect(channels.body.resourcePath).toBe('/api-docs/channels.{format}');
    expect(Object.keys(channels.body.models)).toEqual(
      expect.arrayContaining(['Channel', 'CallerID', 'DialplanCEP']),
    );
    expect((await ari(asterisk, 'GET', '/api-docs/recordings.json')).status).toBe(404);
  });

  it('answers unknown resources 404, wrong methods 405 and missing parameters 400', async () => {
    expect(await ari(asterisk, 'GET', '/nothing')).toMatchObject({
      status: 404,
      body: { message: 'Resource not found' },
    });
    const wrongMethod = await ari(asterisk, 'PUT', '/channels');
    expect(wrongMethod).toMatchObject({ status: 405, body: { message: 'Invalid method' } });
    expect(wrongMethod.headers.get('allow')).toBe('GET,POST');
    expect(await ari(asterisk, 'POST', '/channels')).toMatchObject({
      status: 400,
      body: { message: 'Endpoint must be specified' },
    });
    expect(await ari(asterisk, 'GET', '/channels/x/variable')).toMatchObject({
      status: 400,
      body: { message: 'Variable name is required' },
    });
    expect(await ari(asterisk, 'GET', '/bridges/none')).toMatchObject({
      status: 404,
      body: { message: 'Bridge not found' },
    });
    expect(await ari(asterisk, 'GET', '/applications/none')).toMatchObject({
      status: 404,
      body: { message: 'Application not found' },
    });
  });

  it('fails the next matching request once when asked to', async () => {
    asterisk.failNext({ method: 'GET', path: /\/asterisk\/ping$/ }, 503, 'Asterisk not booted');
    expect(await ari(asterisk, 'GET', '/asterisk/ping')).toMatchObject({
      status: 503,
      body: { message: 'Asterisk not booted' },
    });
    expect((await ari(asterisk, 'GET', '/asterisk/ping')).status).toBe(200);
    expect(asterisk.requests.map((r) => [r.status, r.injected ?? false])).toEqual([
      [503, true],
      [200, false],
    ]);
  });

  it('logs every request with its method, path, query, status and time', async () => {
    const before = performance.timeOrigin + performance.now();
    await ari(asterisk, 'GET', '/asterisk/info', { query: { only: 'system' } });
    expect(asterisk.requests[0]).toMatchObject({
      method: 'GET',
      path: '/ari/asterisk/info',
      query: { only: 'system' },
      status: 200,
      nickname: 'getInfo',
    });
    expect(asterisk.requests[0]?.at).toBeGreaterThanOrEqual(before);
  });
});
