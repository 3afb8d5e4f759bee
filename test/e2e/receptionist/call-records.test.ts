// Every call is stored: ids, numbers, agent, times, end reason, transcript, tool calls,
// barge-ins, latencies, usage and cost; readable with `npm run calls` and over the admin API.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, freePort, writeAgentsFile } from '../../support/daemon-harness.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';
import { runNodeScript } from '../../support/run-node-script.ts';
import { receptionistAgents } from './receptionist-agents.ts';

const CLI = path.resolve(import.meta.dirname, '../../../src/cli/calls-cli.ts');

describe('call records', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('stores the whole call and serves it through the CLI and the admin API', async () => {
    const adminPort = await freePort();
    harness = await DaemonHarness.start({
      realtime: { replyAudio: () => tone(440, 1500, 'ulaw'), deltaIntervalMs: 60 },
      env: {
        AGENTS_FILE: writeAgentsFile(receptionistAgents()),
        ADMIN_PORT: String(adminPort),
        ADMIN_TOKEN: 'admin-token-123',
      },
    });
    const call = await harness.placeCall({ did: '1000', callerNumber: '+15550001111' });
    const session = await harness.realtime.waitForSession(0);
    await harness.asterisk.waitFor(() => call.heard.length > 20, 5000);
    await call.sendAudio(tone(650, 500, 'ulaw'));
    await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
    await session.waitFor(() => session.activeResponseId === undefined, 5000);
    session.callTool('end_call', {}, { sayFirst: 'Bye now.' });
    await call.waitForHangup(8000);
    await harness.waitForCallEnded(call.channelId);
    const callId = harness.logged('call arrived')[0]!['callId'] as string;

    const record = (await harness.daemon.store!.getCall(callId))!;
    expect(record).toMatchObject({
      id: callId,
      channelId: call.channelId,
      dialled: '1000',
      callerNumber: '+15550001111',
      agentId: 'front',
      endReason: 'agent_ended',
      callerOutcome: 'hung_up',
    });
    expect(Date.parse(record.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(record.arrivedAt));
    expect(record.turns.map((turn) => turn.role)).toEqual(expect.arrayContaining(['agent', 'caller']));
    expect(record.bargeIns).toHaveLength(1);
    expect(record.toolCalls).toEqual([expect.objectContaining({ name: 'end_call', ok: true })]);
    expect(record.turnLatenciesMs.length).toBeGreaterThanOrEqual(2);
    expect(record.usage.outputTokens).toBeGreaterThan(0);
    expect(record.costUsd).toBeGreaterThan(0);

    const dataDir = harness.config.store.dataDir;
    const list = await runNodeScript(CLI, ['list', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('+15550001111');
    expect(list.stdout).toContain('agent_ended');
    const show = await runNodeScript(CLI, ['show', callId, '--data-dir', dataDir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/caller: Hello, I would like to check my appointment/);
    expect(show.stdout).toContain('end_call');
    const exported = await runNodeScript(CLI, ['export', '--format', 'jsonl', '--data-dir', dataDir]);
    expect(JSON.parse(exported.stdout.trim().split('\n')[0]!)).toMatchObject({ id: callId });

    const api = `http://127.0.0.1:${harness.daemon.adminPort}/api/calls`;
    expect((await fetch(api)).status).toBe(401);
    const auth = { headers: { Authorization: 'Bearer admin-token-123' } };
    const listed = (await (await fetch(api, auth)).json()) as { calls: { id: string }[] };
    expect(listed.calls.map((item) => item.id)).toEqual([callId]);
    const one = (await (await fetch(`${api}/${callId}`, auth)).json()) as { endReason: string };
    expect(one.endReason).toBe('agent_ended');
    expect((await fetch(`${api}/nope`, auth)).status).toBe(404);
  });
});
