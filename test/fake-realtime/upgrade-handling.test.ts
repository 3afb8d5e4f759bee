import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealtimeTestClient, realtimeWsUrl } from '../support/fake-realtime/realtime-test-client.ts';
import { connectClient, startFakeRealtime } from './fake-realtime-fixture.ts';

describe('fake realtime server upgrade handling', () => {
  it('refuses a wrong API key with HTTP 401 and an OpenAI-style error body', async () => {
    const rt = await startFakeRealtime();
    const failure = await RealtimeTestClient.failedUpgrade(rt.baseUrl, { apiKey: 'sk-wrong-key-1234567890' });
    expect(failure.status).toBe(401);
    const body = JSON.parse(failure.body) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(String(body.error['message'])).toContain('Incorrect API key provided');
    expect(rt.sessions).toHaveLength(0);
    expect(rt.upgradeAttempts.map((a) => a.outcome)).toEqual(['unauthorized']);
  });

  it('accepts the configured key and records the model, URL and request headers', async () => {
    const rt = await startFakeRealtime({ apiKey: 'sk-custom' });
    const { session } = await connectClient(rt, { apiKey: 'sk-custom', model: 'gpt-realtime-mini' });
    expect(rt.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(session.model).toBe('gpt-realtime-mini');
    expect(session.url).toBe('/v1/realtime?model=gpt-realtime-mini');
    expect(session.headers.authorization).toBe('Bearer sk-custom');
  });

  it('answers every upgrade with the configured status when told to reject', async () => {
    const rt = await startFakeRealtime({ rejectUpgrade: { status: 503 } });
    const failure = await RealtimeTestClient.failedUpgrade(rt.baseUrl);
    expect(failure.status).toBe(503);
    expect(JSON.parse(failure.body)).toMatchObject({ error: { type: 'server_error' } });
    rt.setOptions({ rejectUpgrade: { status: 500, body: { error: { message: 'boom' } } } });
    const second = await RealtimeTestClient.failedUpgrade(rt.baseUrl);
    expect(second).toEqual({ status: 500, body: '{"error":{"message":"boom"}}' });
  });

  it('refuses an upgrade without a model with HTTP 400', async () => {
    const rt = await startFakeRealtime();
    const failure = await RealtimeTestClient.failedUpgrade(rt.baseUrl, { model: '' });
    expect(failure.status).toBe(400);
    expect(JSON.parse(failure.body)).toMatchObject({
      error: { code: 'missing_required_parameter', param: 'model' },
    });
  });

  it('keeps a stalled handshake pending until the server stops', async () => {
    const rt = await startFakeRealtime({ stallHandshake: true });
    const ws = new WebSocket(realtimeWsUrl(rt.baseUrl), {
      headers: { Authorization: 'Bearer sk-test-fake' },
    });
    let opened = false;
    ws.on('open', () => {
      opened = true;
    });
    const failed = new Promise<void>((resolve) => ws.on('error', () => resolve()));
    await rt.waitForUpgradeAttempts(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(opened).toBe(false);
    expect(ws.readyState).toBe(WebSocket.CONNECTING);
    expect(rt.upgradeAttempts[0]?.outcome).toBe('stalled');
    await rt.stop();
    await failed;
  });

  it('completes the upgrade but sends nothing when told to withhold session.created', async () => {
    const rt = await startFakeRealtime({ withholdSessionCreated: true });
    const { client, session } = await connectClient(rt);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.events).toHaveLength(0);
    expect(session.sent).toHaveLength(0);
  });
});
