import type { RealtimeResponseUsage } from 'openai/resources/realtime/realtime';

export interface UsageInputs {
  /** Characters of text in the model's context (instructions, text items, transcripts). */
  contextTextChars: number;
  /** Milliseconds of audio in the model's context (user input and earlier replies). */
  contextAudioMs: number;
  outputAudioMs: number;
  outputText: string;
}

// Plausible token counts: ~4 characters per text token, user audio 1 token / 100 ms, assistant
// audio 1 token / 50 ms (the published Realtime audio token rates).
export function estimateUsage(inputs: UsageInputs): RealtimeResponseUsage {
  const inputText = Math.ceil(inputs.contextTextChars / 4);
  const inputAudio = Math.ceil(inputs.contextAudioMs / 100);
  const outputText = Math.ceil(inputs.outputText.length / 4);
  const outputAudio = Math.ceil(inputs.outputAudioMs / 50);
  const inputTokens = inputText + inputAudio;
  const outputTokens = outputText + outputAudio;
  return {
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    input_token_details: {
      text_tokens: inputText,
      audio_tokens: inputAudio,
      image_tokens: 0,
      cached_tokens: 0,
      cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outputText, audio_tokens: outputAudio },
  };
}
