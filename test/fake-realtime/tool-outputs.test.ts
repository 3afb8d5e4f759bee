import { describe, expect, it } from 'vitest';
import { startWithTools } from './fake-realtime-fixture.ts';

describe('fake realtime function_call_output items', () => {
  it('accepts an output for a call in the conversation, records it parsed and does not answer by itself', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 0 });
    session.callTool('lookup_order', { orderNumber: 'A-17' }, { callId: 'call_order17' });
    await client.waitForEvent('response.done');
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_output_1',
      item: { type: 'function_call_output', call_id: 'call_order17', output: '{"status":"shipped"}' },
    });
    const added = await client.waitForEvent(
      'conversation.item.added',
      (e) => e.item.type === 'function_call_output',
    );
    const done = await client.waitForEvent(
      'conversation.item.done',
      (e) => e.item.type === 'function_call_output',
    );
    expect(added.item).toMatchObject({ type: 'function_call_output', call_id: 'call_order17' });
    expect(added.previous_item_id).toBe(session.toolCalls[0]!.itemId);
    expect(done.item).toMatchObject({ status: 'completed', output: '{"status":"shipped"}' });
    expect(session.toolOutputs).toEqual([
      {
        at: expect.any(Number),
        itemId: added.item.id,
        callId: 'call_order17',
        name: 'lookup_order',
        output: '{"status":"shipped"}',
        parsed: { status: 'shipped' },
        accepted: true,
      },
    ]);
    // The real server waits for response.create after a tool output.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(session.responses).toHaveLength(1);
    expect(client.ofType('error')).toHaveLength(0);
  });

  it('refuses an output whose call_id names no function call, as the real server does', async () => {
    const { client, session } = await startWithTools();
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_output_bad',
      item: { type: 'function_call_output', call_id: 'call_nope', output: 'plain text' },
    });
    const error = await client.waitForEvent('error');
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_tool_call_id',
      message: "Tool call ID 'call_nope' not found in conversation.",
      param: null,
      event_id: 'evt_output_bad',
    });
    expect(session.toolOutputs).toMatchObject([
      { callId: 'call_nope', itemId: undefined, accepted: false, parsed: 'plain text', name: undefined },
    ]);
    expect(client.ofType('conversation.item.added')).toHaveLength(0);
  });

  it('refuses an output without call_id or with a non-string output', async () => {
    const { client } = await startWithTools();
    client.sendRaw(
      JSON.stringify({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', output: 'x' },
      }),
    );
    client.sendRaw(
      JSON.stringify({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: 'call_x', output: { ok: true } },
      }),
    );
    const errors = await client.waitForCount('error', 2);
    expect(errors.map((e) => [e.error.code, e.error.param])).toEqual([
      ['missing_required_parameter', 'item.call_id'],
      ['invalid_type', 'item.output'],
    ]);
  });

  it('answers response.create after an output with an ordinary audio reply that records the output', async () => {
    const { client, session } = await startWithTools({
      deltaIntervalMs: 0,
      toolReplyTranscript: 'It shipped Monday.',
    });
    session.callTool('lookup_order', { orderNumber: 'A-17' }, { callId: 'call_a17' });
    await client.waitForEvent('response.done');
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_a17', output: '{"status":"shipped"}' },
    });
    await client.waitForEvent('conversation.item.done', (e) => e.item.type === 'function_call_output');
    client.send({ type: 'response.create', response: { instructions: 'Tell the caller the order status.' } });
    await client.waitForCount('response.done', 2);
    const reply = session.responses[1]!;
    expect(reply).toMatchObject({
      source: 'client',
      hasAudioItem: true,
      afterToolOutput: 'call_a17',
      instructions: 'Tell the caller the order status.',
      transcriptSent: 'It shipped Monday.',
      status: 'completed',
    });
    expect(reply.bytesSent).toBeGreaterThan(0);
    // Only the first response after an output follows it.
    client.send({ type: 'response.create' });
    await client.waitForCount('response.done', 3);
    expect(session.responses[2]?.afterToolOutput).toBeUndefined();
  });

  it('starts the reply by itself with autoReplyToToolOutput', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 0, autoReplyToToolOutput: true });
    session.callTool('end_call', {}, { callId: 'call_end' });
    await client.waitForEvent('response.done');
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_end', output: 'ok' },
    });
    await client.waitForCount('response.done', 2);
    expect(session.responses[1]).toMatchObject({ source: 'server', afterToolOutput: 'call_end' });
  });
});
