import { describe, expect, it } from 'vitest';
import {
  type FunctionToolDefinition,
  toolDefinitionsFor,
  type WebhookToolDefinition,
  webhookToolDefinition,
} from '../../../src/tools/tool-definitions.ts';

const targets = [
  { name: 'sales', description: 'New orders and quotes.' },
  { name: 'support', description: 'Problems with an existing order.' },
];

const orderLookup: WebhookToolDefinition = {
  name: 'lookup_order',
  description: 'Look up an order by its number.',
  url: 'https://tools.example.com/orders',
  timeoutMs: 3000,
  auth: { header: 'Authorization', valueFromEnv: 'ORDERS_TOKEN', prefix: 'Bearer' },
  parameters: { type: 'object', properties: { orderNumber: { type: 'string' } }, required: ['orderNumber'] },
};

function named(tools: FunctionToolDefinition[], name: string): FunctionToolDefinition {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}

describe('tool definitions', () => {
  it('lists only the allowed tools, in the allowed order', () => {
    const tools = toolDefinitionsFor(['lookup_order', 'end_call'], targets, [orderLookup]);
    expect(tools.map((t) => t.name)).toEqual(['lookup_order', 'end_call']);
    expect(tools.every((t) => t.type === 'function')).toBe(true);
    expect(toolDefinitionsFor([], targets, [orderLookup])).toEqual([]);
  });

  it("limits transfer_call's target to the agent's own targets and describes each", () => {
    const transfer = named(toolDefinitionsFor(['transfer_call'], targets, []), 'transfer_call');
    expect(transfer.parameters).toMatchObject({
      type: 'object',
      properties: { target: { type: 'string', enum: ['sales', 'support'] } },
      required: ['target'],
    });
    expect(transfer.description).toContain('- sales: New orders and quotes.');
    expect(transfer.description).toContain('- support: Problems with an existing order.');
    const other = named(toolDefinitionsFor(['transfer_call'], [targets[1]!], []), 'transfer_call');
    expect(other.parameters).toMatchObject({ properties: { target: { enum: ['support'] } } });
  });

  it('leaves transfer_call out when the agent has no targets', () => {
    expect(toolDefinitionsFor(['transfer_call', 'forget_me'], [], []).map((t) => t.name)).toEqual([
      'forget_me',
    ]);
  });

  it('describes end_call and forget_me with object schemas', () => {
    const tools = toolDefinitionsFor(['end_call', 'forget_me'], [], []);
    expect(named(tools, 'end_call').description).toMatch(/^End the call after saying goodbye/);
    expect(named(tools, 'end_call').parameters).toMatchObject({
      type: 'object',
      properties: { reason: { type: 'string' } },
    });
    expect(named(tools, 'forget_me').description).toMatch(
      /^Erase what you remember about this caller, when they ask to be forgotten/,
    );
    expect(named(tools, 'forget_me').parameters).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
  });

  it('turns a webhook into a function tool without its URL or credential settings', () => {
    const tool = webhookToolDefinition(orderLookup);
    expect(tool).toEqual({
      type: 'function',
      name: 'lookup_order',
      description: 'Look up an order by its number.',
      parameters: orderLookup.parameters,
    });
    expect(JSON.stringify(tool)).not.toMatch(/ORDERS_TOKEN|tools\.example\.com/);
  });

  it('skips unknown names and webhooks that would shadow a built-in', () => {
    const shadow = { ...orderLookup, name: 'end_call', description: 'Not the real one.' };
    const tools = toolDefinitionsFor(['end_call', 'no_such_tool', 'end_call'], [], [shadow]);
    expect(tools).toHaveLength(1);
    expect(tools[0]!.description).toMatch(/^End the call/);
  });
});
