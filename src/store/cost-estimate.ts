// A call's cost from its token usage and per-million-token prices. An estimate: the usage names
// how many input tokens were cached but not whether they were text or audio.
import type { CallUsage } from './call-store.ts';

export interface TokenPrices {
  audioInputPerMTok: number;
  audioOutputPerMTok: number;
  textInputPerMTok: number;
  textOutputPerMTok: number;
  cachedInputPerMTok: number;
}

/**
 * USD, rounded to 6 decimals. Cached tokens are priced at the cached rate only, taken out of the
 * text input first, then the audio input: prompt caching covers the start of the conversation,
 * which begins with the session's (text) instructions. Were they audio instead, the call would
 * cost less, so this errs high.
 */
export function estimateCostUsd(usage: CallUsage, prices: TokenPrices): number {
  for (const [name, price] of Object.entries(prices))
    if (!Number.isFinite(price) || price < 0) throw new RangeError(`price ${name} must be ≥ 0, got ${price}`);
  const cached = Math.max(0, usage.cachedInputTokens);
  const cachedText = Math.min(cached, usage.inputTextTokens);
  const cachedAudio = Math.min(cached - cachedText, usage.inputAudioTokens);
  // tokens × USD per million tokens = micro-dollars, so rounding them is rounding to 6 decimals.
  const microUsd =
    (usage.inputTextTokens - cachedText) * prices.textInputPerMTok +
    (usage.inputAudioTokens - cachedAudio) * prices.audioInputPerMTok +
    (cachedText + cachedAudio) * prices.cachedInputPerMTok +
    usage.outputTextTokens * prices.textOutputPerMTok +
    usage.outputAudioTokens * prices.audioOutputPerMTok;
  return Math.round(microUsd) / 1e6;
}
