import { describe, expect, it } from 'vitest';
import type { CallUsage } from '../../../src/store/call-store.ts';
import { estimateCostUsd } from '../../../src/store/cost-estimate.ts';

// gpt-realtime list prices, USD per million tokens.
const prices = {
  audioInputPerMTok: 32,
  audioOutputPerMTok: 64,
  textInputPerMTok: 4,
  textOutputPerMTok: 16,
  cachedInputPerMTok: 0.4,
};

const usage = (partial: Partial<CallUsage>): CallUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  inputAudioTokens: 0,
  outputAudioTokens: 0,
  inputTextTokens: 0,
  outputTextTokens: 0,
  cachedInputTokens: 0,
  ...partial,
});

describe('estimateCostUsd', () => {
  it('prices each kind of token at its own rate', () => {
    // 10000×32 + 20000×64 + 3000×4 + 500×16 = 320000 + 1280000 + 12000 + 8000 = 1620000 µ$
    const cost = estimateCostUsd(
      usage({
        inputAudioTokens: 10_000,
        outputAudioTokens: 20_000,
        inputTextTokens: 3000,
        outputTextTokens: 500,
      }),
      prices,
    );
    expect(cost).toBe(1.62);
  });

  it('prices cached tokens at the cached rate only, out of the text input first, then the audio', () => {
    // 1000 text (all cached), 4000 audio of which 1500 cached:
    // text 0×4 + audio 2500×32 + cached 2500×0.4 = 80000 + 1000 = 81000 µ$
    const cost = estimateCostUsd(
      usage({ inputTextTokens: 1000, inputAudioTokens: 4000, cachedInputTokens: 2500 }),
      prices,
    );
    expect(cost).toBe(0.081);
  });

  it('rounds to six decimals', () => {
    // 7 audio input tokens × 32 = 224 µ$; 1 text input token × 4 = 4 µ$; 1 cached × 0.4 = 0.4 µ$
    expect(
      estimateCostUsd(usage({ inputAudioTokens: 7, inputTextTokens: 2, cachedInputTokens: 1 }), prices),
    ).toBe(0.000228);
    // 0.4 µ$ rounds away, 0.6 µ$ rounds up.
    expect(estimateCostUsd(usage({ inputTextTokens: 1, cachedInputTokens: 1 }), prices)).toBe(0);
    expect(estimateCostUsd(usage({ outputTextTokens: 1 }), { ...prices, textOutputPerMTok: 0.6 })).toBe(
      0.000001,
    );
  });

  it('costs nothing without tokens', () => {
    expect(estimateCostUsd(usage({}), prices)).toBe(0);
  });

  it('refuses a negative or missing price', () => {
    expect(() => estimateCostUsd(usage({}), { ...prices, cachedInputPerMTok: -1 })).toThrow(
      /cachedInputPerMTok/,
    );
    expect(() => estimateCostUsd(usage({}), { ...prices, textInputPerMTok: Number.NaN })).toThrow(
      /textInputPerMTok/,
    );
  });
});
