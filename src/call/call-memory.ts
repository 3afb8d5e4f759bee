// After a call: a short summary for the caller's memory (written by the model over the
// conversation, or the caller's own words when it cannot), then the call record and the memory
// are stored. Storage problems are logged; they never affect the caller.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { ConversationStats } from '../ai/realtime/conversation-stats.ts';
import type { RealtimeAgentSession } from '../ai/realtime/realtime-agent-session.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallerMemory, CallStore } from '../store/call-store.ts';
import type { CallRecorder } from './call-recorder.ts';

const SUMMARY_INSTRUCTIONS =
  'Write a note for your memory of this caller, for the next time they call: in at most two short sentences, who they are (their name if they gave it), what they wanted, and what was agreed or is still open. Plain text, no preamble.';

export async function loadCallerMemory(
  store: CallStore | null,
  agent: AgentDefinition,
  callerNumber: string,
  log: Logger,
): Promise<CallerMemory | null> {
  if (store === null || !agent.memory.enabled || !callerNumber) return null;
  try {
    const memory = await store.getMemory(agent.id, callerNumber);
    if (memory) log.info({ callCount: memory.callCount }, 'returning caller');
    return memory;
  } catch (error) {
    log.warn({ cause: (error as Error).message }, 'could not load the caller memory');
    return null;
  }
}

/** Whether this call should leave something in the caller's memory. */
export function wantsMemory(
  store: CallStore | null,
  agent: AgentDefinition | null,
  callerNumber: string,
): boolean {
  return store !== null && agent?.memory.enabled === true && callerNumber !== '';
}

/** A summary for the memory, once the caller has said something. */
export async function summarizeForMemory(inputs: {
  session: RealtimeAgentSession | null;
  wanted: boolean;
  recorder: CallRecorder;
  timeoutMs: number;
}): Promise<string | null> {
  if (!inputs.wanted || !inputs.recorder.turns.some((turn) => turn.role === 'caller')) return null;
  const written = inputs.session
    ? await inputs.session.requestText(SUMMARY_INSTRUCTIONS, 'summary', inputs.timeoutMs)
    : null;
  return written ?? (inputs.recorder.callerWords(300) || null);
}

export async function finishRecord(inputs: {
  store: CallStore | null;
  recorder: CallRecorder;
  agent: AgentDefinition | null;
  callerNumber: string;
  rememberCaller: boolean;
  memorySummary: string | null;
  answeredAt: Date | null;
  reason: string;
  callerOutcome: string;
  conversation: ConversationStats | null;
  media: Record<string, unknown>;
  costUsd: number | null;
  log: Logger;
}): Promise<void> {
  const { store, agent, log } = inputs;
  if (store === null) return;
  const endedAt = new Date();
  const record = inputs.recorder.record({
    agentId: agent?.id ?? 'none',
    answeredAt: inputs.answeredAt,
    endedAt,
    endReason: inputs.reason,
    callerOutcome: inputs.callerOutcome,
    conversation: inputs.conversation,
    costUsd: inputs.costUsd,
    media: inputs.media,
  });
  try {
    await store.saveCall(record);
  } catch (error) {
    log.error({ cause: (error as Error).message }, 'could not store the call record');
  }
  if (agent === null || !agent.memory.enabled || !inputs.callerNumber || !inputs.rememberCaller) return;
  if (inputs.answeredAt === null) return;
  try {
    const memory = await store.rememberCall(
      agent.id,
      inputs.callerNumber,
      endedAt.toISOString(),
      inputs.memorySummary ?? '',
    );
    log.info({ callCount: memory.callCount }, 'caller memory updated');
  } catch (error) {
    log.error({ cause: (error as Error).message }, 'could not update the caller memory');
  }
}
