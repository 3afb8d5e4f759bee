import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import type { WebhookToolDefinition as AgentWebhook } from '../agents/agent-definition.ts';

/**
 * An HTTP tool an agent may call: the model's arguments are POSTed as JSON to `url`. The agents
 * file's definition is one; the header's value is read from the environment at call time.
 */
export type WebhookToolDefinition = Pick<AgentWebhook, 'name' | 'description' | 'url' | 'timeoutMs'> & {
  auth?: { readonly header: string; readonly valueFromEnv: string; readonly prefix?: string } | null;
  /** JSON schema of the arguments (an object schema). */
  parameters: Readonly<Record<string, unknown>>;
};

/** Someone the agent may hand the caller to. */
export interface TransferTarget {
  name: string;
  description: string;
}

/** A function tool as sent in session.update: every field the SDK leaves optional is set. */
export type FunctionToolDefinition = RealtimeFunctionTool & {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
};

export const builtInToolNames = ['end_call', 'transfer_call', 'forget_me'] as const;
export type BuiltInToolName = (typeof builtInToolNames)[number];

export function isBuiltInToolName(name: string): name is BuiltInToolName {
  return (builtInToolNames as readonly string[]).includes(name);
}

const reasonProperty = {
  type: 'string',
  description: 'A few words on why, for the call record.',
} as const;

export const endCallTool: FunctionToolDefinition = {
  type: 'function',
  name: 'end_call',
  description:
    'End the call after saying goodbye. Say a short goodbye to the caller first, then call this; ' +
    'the line is hung up once your goodbye has been heard. Use it when the caller is done or asks to hang up.',
  parameters: {
    type: 'object',
    properties: { reason: reasonProperty },
    additionalProperties: false,
  },
};

export const forgetMeTool: FunctionToolDefinition = {
  type: 'function',
  name: 'forget_me',
  description:
    'Erase what you remember about this caller, when they ask to be forgotten. ' +
    'Confirm with the caller that this is what they want before calling it, then tell them it is done.',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
};

// The targets go both into the enum (so the model cannot invent one) and into the description
// (so it knows when to pick which).
export function transferCallTool(targets: readonly TransferTarget[]): FunctionToolDefinition {
  const list = targets.map((t) => `- ${t.name}: ${t.description}`).join('\n');
  return {
    type: 'function',
    name: 'transfer_call',
    description:
      'Transfer the caller to one of the targets below. Tell the caller who you are transferring them to ' +
      `before calling this; the call leaves you once the transfer starts.\nTargets:\n${list}`,
    parameters: {
      type: 'object',
      properties: {
        target: {
          type: 'string',
          enum: targets.map((t) => t.name),
          description: 'The name of the target to transfer to.',
        },
        reason: reasonProperty,
      },
      required: ['target'],
      additionalProperties: false,
    },
  };
}

export function webhookToolDefinition(def: WebhookToolDefinition): FunctionToolDefinition {
  return { type: 'function', name: def.name, description: def.description, parameters: def.parameters };
}

/**
 * The tools for session.update, in the order of `allowed`. Names that are neither built in nor a
 * webhook are skipped (configuration validation reports them); built-in names cannot be taken by
 * a webhook; transfer_call is left out when the agent has no targets (an empty enum is invalid).
 */
export function toolDefinitionsFor(
  allowed: readonly string[],
  targets: readonly TransferTarget[],
  webhooks: readonly WebhookToolDefinition[],
): FunctionToolDefinition[] {
  const tools: FunctionToolDefinition[] = [];
  const seen = new Set<string>();
  for (const name of allowed) {
    if (seen.has(name)) continue;
    seen.add(name);
    const tool = definitionFor(name, targets, webhooks);
    if (tool) tools.push(tool);
  }
  return tools;
}

function definitionFor(
  name: string,
  targets: readonly TransferTarget[],
  webhooks: readonly WebhookToolDefinition[],
): FunctionToolDefinition | undefined {
  switch (name) {
    case 'end_call':
      return structuredClone(endCallTool);
    case 'forget_me':
      return structuredClone(forgetMeTool);
    case 'transfer_call':
      return targets.length > 0 ? transferCallTool(targets) : undefined;
  }
  const webhook = webhooks.find((w) => w.name === name);
  return webhook ? webhookToolDefinition(webhook) : undefined;
}
