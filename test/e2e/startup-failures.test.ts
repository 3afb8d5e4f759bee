// Start-up problems end the real daemon process with one clear line and a non-zero exit code,
// never a stack trace from inside ari-client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runDaemonProcess } from '../support/run-daemon-process.ts';

const baseEnv = {
  ARI_PASSWORD: 'ari-pass-do-not-log',
  OPENAI_API_KEY: 'sk-do-not-log',
  ARI_CONNECT_TIMEOUT_MS: '3000',
};
let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function expectOneFatalLine(
  result: Awaited<ReturnType<typeof runDaemonProcess>>,
  url: string,
  cause: RegExp,
): void {
  const fatal = result.lines.filter((line) => line['level'] === 'fatal');
  expect(fatal).toHaveLength(1);
  expect(fatal[0]!['msg']).toContain(url);
  expect(fatal[0]!['msg']).toMatch(cause);
  expect(result.stdout).not.toMatch(/\n\s+at /);
  expect(result.stderr).toBe('');
  expect(result.stdout).not.toContain('ari-pass-do-not-log');
  expect(result.stdout).not.toContain('sk-do-not-log');
}

describe('daemon start-up failures', () => {
  it('exits 69 naming the URL when nothing listens there', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    const result = await runDaemonProcess({ ...baseEnv, ARI_URL: url });
    expect(result.code).toBe(69);
    expectOneFatalLine(result, url, /connection refused/);
  });

  it('exits 69 explaining a wrong ARI password (HTTP 401)', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Authentication required"}');
    });
    const result = await runDaemonProcess({ ...baseEnv, ARI_URL: url, ARI_USERNAME: 'gateway' });
    expect(result.code).toBe(69);
    expectOneFatalLine(result, url, /rejected ARI user "gateway" \(HTTP 401\)/);
  });

  it('exits 69 when the URL is a web server without ARI (HTTP 404)', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nope</h1>'),
    );
    const result = await runDaemonProcess({ ...baseEnv, ARI_URL: url });
    expect(result.code).toBe(69);
    expectOneFatalLine(result, url, /no ARI at this address \(HTTP 404/);
  });

  it('exits 69 when Asterisk answers 500', async () => {
    const url = await serve((_req, res) => res.writeHead(500).end('oops'));
    const result = await runDaemonProcess({ ...baseEnv, ARI_URL: url });
    expect(result.code).toBe(69);
    expectOneFatalLine(result, url, /HTTP 500/);
  });

  it('exits 69 when the server answers something that is not ARI', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
    );
    const result = await runDaemonProcess({ ...baseEnv, ARI_URL: url });
    expect(result.code).toBe(69);
    expectOneFatalLine(result, url, /not JSON/);
  });

  it('exits 78 naming the key and the reason for an invalid config value', async () => {
    const result = await runDaemonProcess({
      ...baseEnv,
      ARI_URL: 'http://127.0.0.1:1',
      RTP_PORT_MAX: '99999',
    });
    expect(result.code).toBe(78);
    const fatal = result.lines.filter((line) => line['level'] === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!['msg']).toMatch(/rtp\.portMax: ports must be within range/);
  });

  it('exits 78 when a required secret is missing', async () => {
    const result = await runDaemonProcess({ ARI_PASSWORD: 'x', ARI_URL: 'http://127.0.0.1:1' });
    expect(result.code).toBe(78);
    expect(result.lines.find((line) => line['level'] === 'fatal')?.['msg']).toMatch(
      /openai\.apiKey: must be set/,
    );
  });
});
