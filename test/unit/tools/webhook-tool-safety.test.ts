import { describe, expect, it } from 'vitest';
import type { WebhookToolDefinition } from '../../../src/tools/tool-definitions.ts';
import { runWebhookTool } from '../../../src/tools/webhook-tool.ts';
import { json, startWebhookServer } from './webhook-test-server.ts';

const context = { callId: 'call-2', agentId: 'front-desk', callerNumber: null };
const secret = 'sk-live-very-secret-token';

function bookingTool(url: string, overrides: Partial<WebhookToolDefinition> = {}): WebhookToolDefinition {
  return {
    name: 'book_slot',
    description: 'Book an appointment slot.',
    url,
    timeoutMs: 2000,
    auth: { header: 'Authorization', valueFromEnv: 'BOOKING_TOKEN', prefix: 'Bearer' },
    parameters: {
      type: 'object',
      properties: { day: { type: 'string' }, people: { type: 'integer' } },
      required: ['day'],
    },
    ...overrides,
  };
}

describe('runWebhookTool guards', () => {
  it('refuses plain http unless the host is allowlisted, without sending anything', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, {}));
    const env = { BOOKING_TOKEN: secret };
    const refused = await runWebhookTool(bookingTool(server.url), '{"day":"mon"}', context, { env });
    expect(refused).toEqual({
      ok: false,
      error: 'refusing plain http to 127.0.0.1: tool URLs must use https',
    });
    const otherHost = await runWebhookTool(bookingTool(server.url), '{"day":"mon"}', context, {
      env,
      allowHttpHosts: ['localhost'],
    });
    expect(otherHost.ok).toBe(false);
    expect(server.received).toHaveLength(0);
    const allowed = await runWebhookTool(bookingTool(server.url), '{"day":"mon"}', context, {
      env,
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(allowed).toEqual({ ok: true, output: {} });
    expect(server.received).toHaveLength(1);
  });

  it('refuses URL schemes other than https and http', async () => {
    const result = await runWebhookTool(bookingTool('file:///etc/passwd'), '{"day":"mon"}', context, {
      env: { BOOKING_TOKEN: secret },
    });
    expect(result).toEqual({ ok: false, error: 'the tool URL scheme file: is not supported' });
  });

  it('sends the credential from the environment only to the endpoint', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 500, { error: `bad token ${secret}` }));
    const result = await runWebhookTool(bookingTool(server.url), '{"day":"mon"}', context, {
      env: { BOOKING_TOKEN: secret },
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(server.received[0]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(JSON.parse(server.received[0]!.body)).toMatchObject({ call: { callerNumber: null } });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('uses a custom header and keeps a prefix that already ends in a space', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, { booked: true }));
    const tool = bookingTool(server.url, {
      auth: { header: 'X-Api-Key', valueFromEnv: 'BOOKING_TOKEN', prefix: 'Token ' },
    });
    await runWebhookTool(tool, '{"day":"mon"}', context, {
      env: { BOOKING_TOKEN: secret },
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(server.received[0]!.headers['x-api-key']).toBe(`Token ${secret}`);
    expect(server.received[0]!.headers.authorization).toBeUndefined();
  });

  it('never returns the credential, even when the request itself fails with it in the message', async () => {
    const failingFetch: typeof fetch = async (_url, init) => {
      const value = new Headers(init?.headers).get('authorization');
      throw new TypeError(`invalid header value ${value}`);
    };
    const result = await runWebhookTool(
      bookingTool('https://tools.example.com/book'),
      '{"day":"mon"}',
      context,
      {
        env: { BOOKING_TOKEN: secret },
        fetch: failingFetch,
      },
    );
    expect(result).toEqual({ ok: false, error: 'request failed: invalid header value Bearer [redacted]' });
  });

  it('reports a missing credential by its variable name, without a request', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, {}));
    const result = await runWebhookTool(bookingTool(server.url), '{"day":"mon"}', context, {
      env: { BOOKING_TOKEN: '' },
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(result).toEqual({
      ok: false,
      error: 'credential BOOKING_TOKEN for tool book_slot is not configured',
    });
    expect(server.received).toHaveLength(0);
  });

  it('refuses arguments that are not valid JSON, without a request', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, {}));
    const result = await runWebhookTool(bookingTool(server.url), '{"day":', context, {
      env: { BOOKING_TOKEN: secret },
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(result).toEqual({ ok: false, error: 'arguments are not valid JSON' });
    const notObject = await runWebhookTool(bookingTool(server.url), '["mon"]', context, {
      env: { BOOKING_TOKEN: secret },
      allowHttpHosts: ['127.0.0.1'],
    });
    expect(notObject).toEqual({ ok: false, error: 'arguments must be a JSON object' });
    expect(server.received).toHaveLength(0);
  });

  it('checks required arguments and their types before the request', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, {}));
    const run = (args: string) =>
      runWebhookTool(bookingTool(server.url), args, context, {
        env: { BOOKING_TOKEN: secret },
        allowHttpHosts: ['127.0.0.1'],
      });
    expect(await run('{"people":2}')).toEqual({
      ok: false,
      error: "invalid arguments: missing required argument 'day'",
    });
    expect(await run('{"day":"mon","people":2.5}')).toEqual({
      ok: false,
      error: "invalid arguments: argument 'people' must be an integer",
    });
    expect(server.received).toHaveLength(0);
  });
});
