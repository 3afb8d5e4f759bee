// Collects what happened on one call as it happens, for its stored record: transcript turns with
// their times, tool calls and results, barge-ins and keypad input.

import type { ConversationStats } from '../ai/realtime/conversation-stats.ts';
import type { BargeInDecision, TranscriptTurn } from '../ai/realtime/realtime-agent-session.ts';
import type { CallDtmf, CallRecord, CallToolCall, CallTurn } from '../store/call-store.ts';

export interface CallIdentity {
  id: string;
  channelId: string;
  dialled: string;
  callerNumber: string;
  callerName: string;
}

export interface CallOutcome {
  agentId: string;
  answeredAt: Date | null;
  endedAt: Date;
  endReason: string;
  callerOutcome: string;
  conversation: ConversationStats | null;
  costUsd: number | null;
  media: Record<string, unknown>;
}

export class CallRecorder {
  readonly arrivedAt = new Date();
  readonly turns: CallTurn[] = [];
  readonly toolCalls: CallToolCall[] = [];
  readonly bargeIns: CallRecord['bargeIns'] = [];
  readonly dtmf: CallDtmf[] = [];
  readonly #identity: CallIdentity;

  constructor(identity: CallIdentity) {
    this.#identity = identity;
  }

  transcript(turn: TranscriptTurn): void {
    this.turns.push({
      at: new Date().toISOString(),
      role: turn.role,
      text: turn.text,
      itemId: turn.itemId,
      ...(turn.interrupted ? { interrupted: true } : {}),
      ...(turn.heardMs !== undefined ? { heardMs: turn.heardMs } : {}),
    });
  }

  note(text: string): void {
    this.turns.push({ at: new Date().toISOString(), role: 'system', text });
  }

  bargeIn(decision: BargeInDecision): void {
    this.bargeIns.push({ at: new Date().toISOString(), itemId: decision.itemId, heardMs: decision.heardMs });
  }

  toolCall(call: CallToolCall): void {
    this.toolCalls.push(call);
  }

  keypad(digits: string, handledBy: CallDtmf['handledBy']): void {
    this.dtmf.push({ at: new Date().toISOString(), digits, handledBy });
  }

  /** The caller's own words so far, for a summary when the model cannot write one. */
  callerWords(maxChars: number): string {
    const words = this.turns
      .filter((turn) => turn.role === 'caller')
      .map((turn) => turn.text.trim())
      .join(' ');
    return words.length > maxChars ? `${words.slice(0, maxChars - 1)}…` : words;
  }

  record(outcome: CallOutcome): CallRecord {
    const conversation = outcome.conversation;
    return {
      ...this.#identity,
      agentId: outcome.agentId,
      arrivedAt: this.arrivedAt.toISOString(),
      answeredAt: outcome.answeredAt?.toISOString() ?? null,
      endedAt: outcome.endedAt.toISOString(),
      endReason: outcome.endReason,
      callerOutcome: outcome.callerOutcome,
      turns: this.turns,
      toolCalls: this.toolCalls,
      bargeIns: this.bargeIns,
      dtmf: this.dtmf,
      turnLatenciesMs: (conversation?.turnLatenciesMs ?? []).map((ms) => Math.round(ms)),
      usage: conversation?.usage ?? {
        inputTokens: 0,
        outputTokens: 0,
        inputAudioTokens: 0,
        outputAudioTokens: 0,
        inputTextTokens: 0,
        outputTextTokens: 0,
        cachedInputTokens: 0,
      },
      costUsd: outcome.costUsd,
      media: outcome.media,
    };
  }
}
