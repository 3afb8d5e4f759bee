// Tools the model can call, wired to the PBX: end_call after the goodbye has played out,
// transfer_call only within the allowlist (dialplan or a dialled endpoint), webhook tools.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, type HarnessOptions, writeAgentsFile } from '../../support/daemon-harness.ts';
import type { FakeCall } from '../../support/fake-asterisk/fake-call.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';
import type { FakeRealtimeSession } from '../../support/fake-realtime/fake-realtime-server.ts';
import { receptionistAgents } from './receptionist-agents.ts';

describe('tools the model calls', () => {
  let harness: DaemonHarness | undefined;
  let web: Server | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    web = undefined;
  });

  async function greetedCall(
    options: HarnessOptions & { webhookUrl?: string } = {},
  ): Promise<{ h: DaemonHarness; call: FakeCall; session: FakeRealtimeSession }> {
    const h = await DaemonHarness.start({
      ...options,
      realtime: { replyAudio: () => tone(440, 300, 'ulaw'), ...options.realtime },
      env: {
        AGENTS_FILE: writeAgentsFile(
          receptionistAgents({ ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) }),
        ),
        TOOLS_ALLOW_HTTP_HOSTS: '127.0.0.1',
        ...options.env,
      },
    });
    harness = h;
    const call = await h.placeCall();
    const session = await h.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await h.asterisk.waitFor(() => call.heardPayloads().length >= 2400, 5000);
    return { h, call, session };
  }

  const outputOf = (session: FakeRealtimeSession, index = 0) => session.toolOutputs[index]?.parsed;

  it('end_call: the goodbye said with it plays out, then the call is hung up', async () => {
    const { h, call, session } = await greetedCall();
    const goodbye = session.callTool('end_call', { reason: 'caller is done' }, { sayFirst: 'Goodbye!' });
    await call.waitForHangup(5000);
    expect(outputOf(session)).toMatchObject({ ok: true });
    // All of the goodbye reached the caller before the hangup.
    const heard = call.heardPayloads();
    expect(heard.subarray(heard.length - goodbye.audio.length)).toEqual(goodbye.audio);
    // Only the greeting was asked for (the end-of-call summary is an out-of-band text response).
    const spoken = session
      .receivedOfType('response.create')
      .filter((event) => event.response?.conversation !== 'none');
    expect(spoken).toHaveLength(1);
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({
      reason: 'agent_ended',
      callerOutcome: 'hung_up',
    });
    const record = await h.daemon.store!.getCall((await h.waitForLog('call arrived'))['callId'] as string);
    expect(record?.toolCalls).toEqual([expect.objectContaining({ name: 'end_call', ok: true })]);
    await h.expectNothingLeft();
  });

  it('end_call without words: the model is asked for a goodbye, which plays before the hangup', async () => {
    const { h, call, session } = await greetedCall();
    session.callTool('end_call', {});
    await call.waitForHangup(5000);
    const requests = session
      .receivedOfType('response.create')
      .filter((event) => event.response?.conversation !== 'none');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.response?.instructions).toMatch(/goodbye/i);
    expect(session.responses.at(-1)?.status).toBe('completed');
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({ reason: 'agent_ended' });
  });

  it('transfer_call to a dialplan target continues the caller there after the announcement', async () => {
    const { h, call, session } = await greetedCall();
    session.callTool('transfer_call', { target: 'sales' });
    await h.asterisk.waitFor(() => call.continuedTo !== undefined, 5000);
    expect(call.continuedTo).toMatchObject({ context: 'staff', extension: '200', priority: 1 });
    expect(session.receivedOfType('response.create')[1]?.response?.instructions).toMatch(/transferring/i);
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({
      reason: 'transferred',
      callerOutcome: 'transferred',
    });
    await h.expectNothingLeft();
  });

  it('transfer_call refuses a target outside the allowlist, whatever the model asks', async () => {
    const { h, call, session } = await greetedCall();
    session.callTool('transfer_call', { target: 'the_ceo' });
    await session.waitFor(() => session.toolOutputs.length === 1, 5000);
    expect(outputOf(session)).toMatchObject({ ok: false, error: expect.stringContaining('sales, dr_smith') });
    // The model is asked to speak again so it can tell the caller.
    await session.waitFor(() => session.receivedOfType('response.create').length === 2, 5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(call.continuedTo).toBeUndefined();
    expect(
      h.asterisk.requests.filter((request) => request.method === 'POST' && request.path === '/ari/channels'),
    ).toEqual([]);
    expect(call.alive).toBe(true);
  });

  it('transfer_call to an endpoint dials it and bridges the caller with whoever answers', async () => {
    const { h, call, session } = await greetedCall();
    session.callTool('transfer_call', { target: 'dr_smith' });
    await h.waitForCallEnded(call.channelId, 8000);
    expect(h.logged('call ended')[0]).toMatchObject({ reason: 'transferred', callerOutcome: 'transferred' });
    const bridge = h.asterisk.bridges().find((b) => b.id.includes('-xbr-'))!;
    expect(bridge.channels).toEqual(expect.arrayContaining([call.channelId]));
    expect(bridge.channels).toHaveLength(2);
    expect(h.daemon.orchestrator.activeTransfers).toBe(1);
    // The AI side is gone; the person hangs up, so does the caller's leg.
    const target = h.asterisk.calls().find((c) => c.channelId !== call.channelId)!;
    target.hangup();
    await call.waitForHangup(5000);
    await h.asterisk.waitFor(() => h.asterisk.bridges().length === 0, 5000);
    expect(h.daemon.orchestrator.activeTransfers).toBe(0);
  });

  it('a busy transfer target leaves the call with the agent, who is told why', async () => {
    const { h, call, session } = await greetedCall({ asterisk: { originateOutcome: () => 'busy' } });
    session.callTool('transfer_call', { target: 'dr_smith' });
    await session.waitFor(
      () => session.textItems.some((item) => item.text.includes('did not go through (busy)')),
      5000,
    );
    await session.waitFor(() => session.receivedOfType('response.create').length >= 3, 5000);
    expect(call.alive).toBe(true);
    expect(h.daemon.orchestrator.activeCalls).toBe(1);
  });

  it('webhook tools: the result goes back to the model, and a failure is a result, not a crash', async () => {
    let requests = 0;
    web = createServer((req, res) => {
      requests++;
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const parsed = JSON.parse(body) as { arguments: { order: string } };
        if (parsed.arguments.order === '42')
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"shipped"}');
        else res.writeHead(500).end('database down');
      });
    });
    await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}/orders`;
    const { h, session } = await greetedCall({ webhookUrl: url });
    session.callTool('lookup_order', { order: '42' });
    await session.waitFor(() => session.toolOutputs.length === 1, 5000);
    expect(outputOf(session)).toEqual({ ok: true, output: { status: 'shipped' } });
    await session.waitFor(
      () => session.responses.length === 3 && session.activeResponseId === undefined,
      5000,
    );
    session.callTool('lookup_order', { order: '7' });
    await session.waitFor(() => session.toolOutputs.length === 2, 5000);
    expect(outputOf(session, 1)).toMatchObject({ ok: false, error: expect.stringContaining('500') });
    await session.waitFor(
      () => session.responses.length === 5 && session.activeResponseId === undefined,
      5000,
    );
    session.callTool('lookup_order', {});
    await session.waitFor(() => session.toolOutputs.length === 3, 5000);
    expect(outputOf(session, 2)).toMatchObject({ ok: false, error: expect.stringContaining('order') });
    expect(requests).toBe(2);
    expect(h.logged('tool call failed').length).toBeGreaterThanOrEqual(1);
  });
});
