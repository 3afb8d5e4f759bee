// What one call's conversation amounted to: for the call's summary log line and its record.
import type { RealtimeResponseUsage } from 'openai/resources/realtime/realtime';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  inputAudioTokens: number;
  outputAudioTokens: number;
  inputTextTokens: number;
  outputTextTokens: number;
  cachedInputTokens: number;
}

export interface ConversationStats {
  framesAppended: number;
  responses: number;
  callerTurns: number;
  bargeIns: number;
  toolCalls: number;
  errorEvents: number;
  malformedEvents: number;
  /** Audio deltas not played: of a response cut off by barge-in, or of none that is running. */
  droppedAudioDeltas: number;
  /** Times the socket dropped and the conversation was restored on a new one. */
  reconnects: number;
  /** Planned swaps to a fresh socket before the provider's session limit. */
  rollovers: number;
  /** Drops the conversation could not be restored from. */
  reconnectsFailed: number;
  /** Caller stopped speaking (or a response was requested) → first agent audio queued, per turn. */
  turnLatenciesMs: number[];
  /** speech_started received → agent playback stopped and the model told, per barge-in. */
  bargeInReactionsMs: number[];
  usage: TokenUsage;
}

export function createConversationStats(): ConversationStats {
  return {
    framesAppended: 0,
    responses: 0,
    callerTurns: 0,
    bargeIns: 0,
    toolCalls: 0,
    errorEvents: 0,
    malformedEvents: 0,
    droppedAudioDeltas: 0,
    reconnects: 0,
    rollovers: 0,
    reconnectsFailed: 0,
    turnLatenciesMs: [],
    bargeInReactionsMs: [],
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      inputAudioTokens: 0,
      outputAudioTokens: 0,
      inputTextTokens: 0,
      outputTextTokens: 0,
      cachedInputTokens: 0,
    },
  };
}

export function recordUsage(stats: ConversationStats, usage: RealtimeResponseUsage | undefined): void {
  if (!usage || typeof usage !== 'object') return;
  const total = stats.usage;
  total.inputTokens += count(usage.input_tokens);
  total.outputTokens += count(usage.output_tokens);
  total.inputAudioTokens += count(usage.input_token_details?.audio_tokens);
  total.inputTextTokens += count(usage.input_token_details?.text_tokens);
  total.cachedInputTokens += count(usage.input_token_details?.cached_tokens);
  total.outputAudioTokens += count(usage.output_token_details?.audio_tokens);
  total.outputTextTokens += count(usage.output_token_details?.text_tokens);
}

/** A token count as sent by the server; anything that is not a plausible count adds nothing. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
