// What one call's conversation amounted to: for the call's summary log line and, later, its record.
import type { RealtimeResponseUsage } from 'openai/resources/realtime/realtime';

export interface ConversationStats {
  framesAppended: number;
  responses: number;
  callerTurns: number;
  bargeIns: number;
  errorEvents: number;
  malformedEvents: number;
  /** Caller stopped speaking (or greeting requested) → first agent audio queued, per turn. */
  turnLatenciesMs: number[];
  usage: { inputTokens: number; outputTokens: number; inputAudioTokens: number; outputAudioTokens: number };
}

export function createConversationStats(): ConversationStats {
  return {
    framesAppended: 0,
    responses: 0,
    callerTurns: 0,
    bargeIns: 0,
    errorEvents: 0,
    malformedEvents: 0,
    turnLatenciesMs: [],
    usage: { inputTokens: 0, outputTokens: 0, inputAudioTokens: 0, outputAudioTokens: 0 },
  };
}

export function recordUsage(stats: ConversationStats, usage: RealtimeResponseUsage | undefined): void {
  if (!usage) return;
  stats.usage.inputTokens += usage.input_tokens ?? 0;
  stats.usage.outputTokens += usage.output_tokens ?? 0;
  stats.usage.inputAudioTokens += usage.input_token_details?.audio_tokens ?? 0;
  stats.usage.outputAudioTokens += usage.output_token_details?.audio_tokens ?? 0;
}
