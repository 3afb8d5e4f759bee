import { describe, expect, it } from 'vitest';
import { endCallTool, lookupOrderTool, startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime tool configuration', () => {
  it('records tools and tool_choice from session.update', async () => {
    const { client, session } = await startWithClient();
    client.send({
      type: 'session.update',
      session: { type: 'realtime', tools: [lookupOrderTool, endCallTool], tool_choice: 'required' },
    });
    const updated = (await client.waitForEvent('session.updated')).session;
    if (updated.type !== 'realtime') throw new Error('expected a realtime session');
    expect(updated.tools).toEqual([lookupOrderTool, endCallTool]);
    expect(updated.tool_choice).toBe('required');
    expect(session.config.tools).toEqual([lookupOrderTool, endCallTool]);
    client.send({
      type: 'session.update',
      session: { type: 'realtime', tool_choice: { type: 'function', name: 'end_call' } },
    });
    await client.waitForCount('session.updated', 2);
    expect(session.config.tool_choice).toEqual({ type: 'function', name: 'end_call' });
  });

  it('refuses malformed tools and tool_choice, changing nothing', async () => {
    const { client, session } = await startWithClient();
    const bad: unknown[] = [
      { type: 'mcp', name: 'x', parameters: {} },
      { type: 'function', parameters: {} },
      { type: 'function', name: 'lookup', parameters: 'none' },
      { type: 'function', name: 'has space', parameters: {} },
      { type: 'function', name: 'x', parameters: {}, strict: true },
      { name: 'x', parameters: {} },
    ];
    for (const tool of bad) {
      client.sendRaw(
        JSON.stringify({ type: 'session.update', session: { type: 'realtime', tools: [tool] } }),
      );
    }
    client.sendRaw(
      JSON.stringify({
        type: 'session.update',
        session: { type: 'realtime', tools: [lookupOrderTool, lookupOrderTool] },
      }),
    );
    client.sendRaw(JSON.stringify({ type: 'session.update', session: { type: 'realtime', tools: {} } }));
    client.sendRaw(
      JSON.stringify({ type: 'session.update', session: { type: 'realtime', tool_choice: 'always' } }),
    );
    const errors = await client.waitForCount('error', 9);
    expect(errors.map((e) => [e.error.code, e.error.param])).toEqual([
      ['invalid_value', 'session.tools[0].type'],
      ['missing_required_parameter', 'session.tools[0].name'],
      ['invalid_type', 'session.tools[0].parameters'],
      ['invalid_value', 'session.tools[0].name'],
      ['unknown_parameter', 'session.tools[0].strict'],
      ['missing_required_parameter', 'session.tools[0].type'],
      ['invalid_value', 'session.tools[1].name'],
      ['invalid_type', 'session.tools'],
      ['invalid_value', 'session.tool_choice'],
    ]);
    expect(errors[0]?.error.message).toBe("Invalid value: 'mcp'. Supported values are: 'function'.");
    expect(client.ofType('session.updated')).toHaveLength(0);
    expect(session.config.tools).toEqual([]);
  });
});
