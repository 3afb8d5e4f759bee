import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WebhookToolDefinition } from '../../../src/tools/tool-definitions.ts';
import { runWebhookTool } from '../../../src/tools/webhook-tool.ts';
import { json, startWebhookServer } from './webhook-test-server.ts';

const context = { callId: 'call-1', agentId: 'front-desk', callerNumber: '+4930123456' };
const options = { env: {}, allowHttpHosts: ['127.0.0.1'] };

function lookupTool(url: string, overrides: Partial<WebhookToolDefinition> = {}): WebhookToolDefinition {
  return {
    name: 'lookup_order',
    description: 'Look up an order by its number.',
    url,
    timeoutMs: 2000,
    parameters: {
      type: 'object',
      properties: { orderNumber: { type: 'string' } },
      required: ['orderNumber'],
    },
    ...overrides,
  };
}

describe('runWebhookTool answers', () => {
  it('POSTs tool, arguments and call as JSON and returns the parsed JSON body', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, { status: 'shipped', items: 2 }));
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toEqual({ ok: true, output: { status: 'shipped', items: 2 } });
    expect(server.received).toHaveLength(1);
    const request = server.received[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/tool');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      tool: 'lookup_order',
      arguments: { orderNumber: 'A-17' },
      call: { id: 'call-1', agentId: 'front-desk', callerNumber: '+4930123456' },
    });
  });

  it('accepts arguments that are already an object', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, { ok: 1 }));
    const result = await runWebhookTool(lookupTool(server.url), { orderNumber: 'B-2' }, context, options);
    expect(result.ok).toBe(true);
    expect(JSON.parse(server.received[0]!.body).arguments).toEqual({ orderNumber: 'B-2' });
  });

  it('returns a text body as text', async () => {
    const server = await startWebhookServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Order A-17 left the warehouse on Monday.');
    });
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toEqual({ ok: true, output: 'Order A-17 left the warehouse on Monday.' });
  });

  it('reports a non-2xx answer with its status', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 503, { error: 'down' }));
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toEqual({ ok: false, error: 'tool endpoint answered HTTP 503 Service Unavailable' });
  });

  it('does not follow a redirect', async () => {
    const server = await startWebhookServer((_req, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    });
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 307') });
    expect(server.received).toHaveLength(1);
  });

  it('gives up after timeoutMs when the endpoint does not answer', async () => {
    const server = await startWebhookServer(() => {});
    const started = performance.now();
    const result = await runWebhookTool(
      lookupTool(server.url, { timeoutMs: 150 }),
      '{"orderNumber":"A-17"}',
      context,
      options,
    );
    expect(result).toEqual({ ok: false, error: 'tool did not answer within 150 ms' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives up after timeoutMs when the body never finishes', async () => {
    const server = await startWebhookServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const result = await runWebhookTool(
      lookupTool(server.url, { timeoutMs: 150 }),
      '{"orderNumber":"A-17"}',
      context,
      options,
    );
    expect(result).toEqual({ ok: false, error: 'tool did not answer within 150 ms' });
  });

  it('stops reading a streamed body at maxResponseBytes', async () => {
    let written = 0;
    const server = await startWebhookServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16_384, 0x61);
      // Keeps writing until the client goes away; an unbounded reader would never return.
      const writeMore = (): void => {
        if (res.destroyed || written > 8_000_000) return;
        written += chunk.length;
        if (res.write(chunk)) setImmediate(writeMore);
        else res.once('drain', writeMore);
      };
      res.on('error', () => {});
      writeMore();
    });
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, {
      ...options,
      maxResponseBytes: 1000,
    });
    expect(result).toEqual({ ok: false, error: 'response larger than 1000 bytes' });
    expect(written).toBeLessThan(8_000_000);
  });

  it('refuses a body whose declared length is over the cap', async () => {
    const server = await startWebhookServer((_req, res) => json(res, 200, { text: 'x'.repeat(70_000) }));
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toEqual({ ok: false, error: 'response larger than 65536 bytes' });
  });

  it('reports a JSON content type with a body that is not JSON', async () => {
    const server = await startWebhookServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    const result = await runWebhookTool(lookupTool(server.url), '{"orderNumber":"A-17"}', context, options);
    expect(result).toEqual({ ok: false, error: 'tool endpoint sent invalid JSON' });
  });

  it('reports a refused connection without throwing', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const result = await runWebhookTool(
      lookupTool(`http://127.0.0.1:${closedPort}/tool`),
      '{"orderNumber":"A-17"}',
      context,
      options,
    );
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^request failed: /) });
  });
});
