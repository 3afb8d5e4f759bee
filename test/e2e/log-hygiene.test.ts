// Secrets never appear in any log line of a full call, even at debug level, and transcripts can
// be redacted with one setting.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, freePort, TEST_SECRETS, writeAgentsFile } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';
import { receptionistAgents } from './receptionist/receptionist-agents.ts';

const WEBHOOK_SECRET = 'whk-5ecret-7f3a9c';
const ADMIN_TOKEN = 'adm-5ecret-41b2e8';

async function fullCall(harness: DaemonHarness): Promise<void> {
  const call = await harness.placeCall();
  const session = await harness.realtime.waitForSession(0);
  await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
  await call.sendAudio(tone(600, 600, 'ulaw'));
  await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
  await harness.waitForLog('agent said', (line) => line['itemId'] === session.responses[1]!.itemId);
  call.hangup();
  await harness.waitForCallEnded(call.channelId);
}

describe('log hygiene', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('never logs the ARI password or the API key', async () => {
    harness = await DaemonHarness.start({ env: { LOG_LEVEL: 'trace' } });
    await fullCall(harness);
    await harness.daemon.stop();
    const text = harness.logs.map((line) => JSON.stringify(line)).join('\n');
    expect(harness.logs.length).toBeGreaterThan(10);
    expect(text).not.toContain(TEST_SECRETS.ariPassword);
    expect(text).not.toContain(TEST_SECRETS.apiKey);
    expect(text).not.toContain(Buffer.from(`callbridge:${TEST_SECRETS.ariPassword}`).toString('base64'));
  });

  it('never logs a webhook tool token or the admin token, even when the webhook fails', async () => {
    const seen: (string | undefined)[] = [];
    const web: Server = createServer((req, res) => {
      seen.push(req.headers['x-orders-key'] as string | undefined);
      req.resume();
      // Fails with the request echoed back: nothing of it may reach the logs.
      req.on('end', () => res.writeHead(502).end(JSON.stringify(req.headers)));
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    process.env['CALLBRIDGE_TEST_ORDERS_KEY'] = WEBHOOK_SECRET;
    try {
      const agents = receptionistAgents({
        webhookUrl: `http://127.0.0.1:${(web.address() as AddressInfo).port}/orders`,
      }).replace(
        '        timeoutMs: 2000\n',
        '        timeoutMs: 2000\n        auth: { header: X-Orders-Key, valueFromEnv: CALLBRIDGE_TEST_ORDERS_KEY, prefix: "Key " }\n',
      );
      const port = await freePort();
      harness = await DaemonHarness.start({
        realtime: { replyAudio: () => tone(440, 300, 'ulaw') },
        env: {
          LOG_LEVEL: 'trace',
          AGENTS_FILE: writeAgentsFile(agents),
          TOOLS_ALLOW_HTTP_HOSTS: '127.0.0.1',
          ADMIN_PORT: String(port),
          ADMIN_TOKEN,
        },
      });
      const call = await harness.placeCall();
      const session = await harness.realtime.waitForSession(0);
      await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
      session.callTool('lookup_order', { order: '42' });
      await session.waitFor(() => session.toolOutputs.length === 1, 5000);
      // Neither does the model see it.
      expect(JSON.stringify(session.toolOutputs)).not.toContain(WEBHOOK_SECRET);
      const admin = `http://127.0.0.1:${port}`;
      expect(
        (await fetch(`${admin}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
      ).toBe(200);
      expect((await fetch(`${admin}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(
        401,
      );
      call.hangup();
      await harness.waitForCallEnded(call.channelId);
      await harness.daemon.stop();
    } finally {
      delete process.env['CALLBRIDGE_TEST_ORDERS_KEY'];
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
    // The secret was in use, and the failure was logged, without it.
    expect(seen).toEqual([`Key ${WEBHOOK_SECRET}`]);
    expect(harness.logged('tool call failed')).toHaveLength(1);
    const text = harness.logs.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of [WEBHOOK_SECRET, ADMIN_TOKEN, TEST_SECRETS.apiKey, TEST_SECRETS.ariPassword]) {
      expect(text).not.toContain(secret);
    }
  });

  it('replaces transcript text with [redacted] when asked', async () => {
    harness = await DaemonHarness.start({ env: { LOG_REDACT_TRANSCRIPTS: 'true' } });
    await fullCall(harness);
    const transcripts = harness.logs.filter(
      (line) => line.msg === 'caller said' || line.msg === 'agent said',
    );
    expect(transcripts.length).toBeGreaterThanOrEqual(2);
    for (const line of transcripts) expect((line['transcript'] as { text: string }).text).toBe('[redacted]');
    const text = JSON.stringify(harness.logs);
    expect(text).not.toContain(harness.realtime.options.callerTranscript);
    expect(text).not.toContain(harness.realtime.options.replyTranscript);
  });
});
