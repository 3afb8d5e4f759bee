// Runs the tools the model calls on a call. Built-ins act on the PBX through the call
// (end_call, transfer_call within the agent's allowlist, forget_me); webhook tools go to their
// HTTP endpoint. A failing tool is a result the model can read, never an exception, and every
// call is recorded and logged.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { ToolCallRequest } from '../ai/realtime/realtime-agent-session.ts';
import type { Logger } from '../observability/logger.ts';
import { parseToolArguments } from '../tools/tool-arguments.ts';
import type { ToolResult } from '../tools/tool-result.ts';
import { runWebhookTool, type WebhookRunOptions } from '../tools/webhook-tool.ts';
import type { CallRecorder } from './call-recorder.ts';

export type ToolAction = { kind: 'end' } | { kind: 'transfer'; target: string };

export interface ToolOutcome {
  result: ToolResult;
  /** What the call does after the model has been told (and has spoken, if it did). */
  action?: ToolAction;
}

export interface ToolRunnerOptions {
  callId: string;
  callerNumber: string;
  recorder: CallRecorder;
  log: Logger;
  /** Erases the caller's memory with this agent; null when there is no store. */
  forgetCaller: (() => Promise<void>) | null;
  webhooks: WebhookRunOptions;
}

export class ToolRunner {
  readonly #options: ToolRunnerOptions;

  constructor(options: ToolRunnerOptions) {
    this.#options = options;
  }

  async run(call: ToolCallRequest, agent: AgentDefinition): Promise<ToolOutcome> {
    const started = performance.now();
    const parsed = parseToolArguments(call.arguments);
    const outcome: ToolOutcome = parsed.ok
      ? await this.#dispatch(call.name, parsed.args, agent)
      : { result: { ok: false, error: parsed.error } };
    const durationMs = Math.round(performance.now() - started);
    this.#options.recorder.toolCall({
      at: new Date().toISOString(),
      name: call.name,
      arguments: parsed.ok ? parsed.args : call.arguments,
      result: outcome.result.ok ? outcome.result.output : { error: outcome.result.error },
      ok: outcome.result.ok,
      durationMs,
    });
    const log = this.#options.log;
    if (outcome.result.ok) log.info({ tool: call.name, durationMs }, 'tool call done');
    else log.warn({ tool: call.name, durationMs, error: outcome.result.error }, 'tool call failed');
    return outcome;
  }

  async #dispatch(name: string, args: Record<string, unknown>, agent: AgentDefinition): Promise<ToolOutcome> {
    if (!agent.tools.includes(name)) {
      return { result: { ok: false, error: `the tool "${name}" is not available on this call` } };
    }
    switch (name) {
      case 'end_call':
        return {
          result: { ok: true, output: 'The call will end after your goodbye.' },
          action: { kind: 'end' },
        };
      case 'transfer_call':
        return this.#transfer(args, agent);
      case 'forget_me':
        return this.#forget();
      default:
        return this.#webhook(name, args, agent);
    }
  }

  #transfer(args: Record<string, unknown>, agent: AgentDefinition): ToolOutcome {
    const target = typeof args['target'] === 'string' ? args['target'] : '';
    const allowed = Object.keys(agent.transferTargets);
    if (!allowed.includes(target)) {
      // Whatever the caller said, only the agent's allowlist can be reached.
      return {
        result: {
          ok: false,
          error: `"${target}" is not a transfer target; the allowed targets are: ${allowed.join(', ') || 'none'}`,
        },
      };
    }
    return {
      result: { ok: true, output: `Transferring the caller to ${target}.` },
      action: { kind: 'transfer', target },
    };
  }

  async #forget(): Promise<ToolOutcome> {
    const forget = this.#options.forgetCaller;
    if (forget === null) return { result: { ok: true, output: 'Nothing is remembered about this caller.' } };
    try {
      await forget();
      return { result: { ok: true, output: 'Everything remembered about this caller has been erased.' } };
    } catch (error) {
      return { result: { ok: false, error: `could not erase the memory: ${(error as Error).message}` } };
    }
  }

  async #webhook(name: string, args: Record<string, unknown>, agent: AgentDefinition): Promise<ToolOutcome> {
    const definition = agent.webhooks.find((webhook) => webhook.name === name);
    if (!definition) return { result: { ok: false, error: `the tool "${name}" does not exist` } };
    const result = await runWebhookTool(
      definition,
      args,
      { callId: this.#options.callId, agentId: agent.id, callerNumber: this.#options.callerNumber || null },
      this.#options.webhooks,
    );
    return { result };
  }
}
