// A frame-energy voice activity detector that runs in audio time (not wall-clock time), so turn
// boundaries depend only on the samples appended, however fast or bursty they arrive.

export interface VadParams {
  /** turn_detection.threshold, 0..1: higher needs louder audio to count as speech. */
  threshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
}

export type VadEvent =
  | { type: 'speech_started'; audioStartMs: number; detectedAtMs: number }
  | { type: 'speech_stopped'; audioEndMs: number };

const frameMs = 20;
// Two loud frames in a row start speech, so a single click does not.
const minSpeechFrames = 2;

// Maps threshold 0..1 onto -60..-10 dBFS; the default 0.5 is -35 dBFS, well above G.711 idle
// patterns (μ-law 0xFF decodes to 0, A-law 0xD5 to ±8) and below ordinary speech levels.
export function energyThresholdRms(threshold: number): number {
  const clamped = Math.min(1, Math.max(0, threshold));
  const dbfs = -60 + 50 * clamped;
  return 32768 * 10 ** (dbfs / 20);
}

export class EnergyVad {
  #sampleRate = 0;
  #partial: number[] = [];
  /** Audio time at the end of the last whole frame analysed. */
  #frameClockMs = 0;
  /** Audio time of everything fed, including a trailing partial frame. */
  #fedMs = 0;
  #inSpeech = false;
  #loudRun = 0;
  #loudRunStartMs = 0;
  #quietMs = 0;

  get inSpeech(): boolean {
    return this.#inSpeech;
  }

  get audioMs(): number {
    return this.#fedMs;
  }

  feed(samples: Int16Array, sampleRate: number, params: VadParams): VadEvent[] {
    if (sampleRate !== this.#sampleRate) {
      // A format change mid-stream: the partial frame belongs to the old rate.
      this.#sampleRate = sampleRate;
      this.#partial = [];
      this.#frameClockMs = this.#fedMs;
    }
    this.#fedMs += (samples.length * 1000) / sampleRate;
    const frameSize = Math.round((sampleRate * frameMs) / 1000);
    const limit = energyThresholdRms(params.threshold);
    const events: VadEvent[] = [];
    for (const sample of samples) {
      this.#partial.push(sample);
      if (this.#partial.length < frameSize) continue;
      const rms = frameRms(this.#partial);
      this.#partial = [];
      const frameStartMs = this.#frameClockMs;
      this.#frameClockMs += frameMs;
      const event = this.#onFrame(rms >= limit, frameStartMs, params);
      if (event) events.push(event);
    }
    return events;
  }

  /** Marks speech as started now (a forced event); returns the audio time used. */
  forceStart(params: VadParams): number {
    this.#inSpeech = true;
    this.#quietMs = 0;
    this.#loudRun = 0;
    return Math.max(0, Math.round(this.#fedMs - params.prefixPaddingMs));
  }

  /** Marks speech as stopped now (a forced event); returns the audio time used. */
  forceStop(): number {
    this.#inSpeech = false;
    this.#quietMs = 0;
    this.#loudRun = 0;
    return Math.round(this.#fedMs);
  }

  /** Forgets any speech in progress (input_audio_buffer.clear), keeping the audio clock. */
  resetSpeech(): void {
    this.#inSpeech = false;
    this.#quietMs = 0;
    this.#loudRun = 0;
  }

  #onFrame(loud: boolean, frameStartMs: number, params: VadParams): VadEvent | undefined {
    const frameEndMs = frameStartMs + frameMs;
    if (!this.#inSpeech) {
      if (!loud) {
        this.#loudRun = 0;
        return undefined;
      }
      if (this.#loudRun === 0) this.#loudRunStartMs = frameStartMs;
      this.#loudRun++;
      if (this.#loudRun < minSpeechFrames) return undefined;
      this.#inSpeech = true;
      this.#quietMs = 0;
      this.#loudRun = 0;
      return {
        type: 'speech_started',
        audioStartMs: Math.max(0, Math.round(this.#loudRunStartMs - params.prefixPaddingMs)),
        detectedAtMs: Math.round(frameEndMs),
      };
    }
    if (loud) {
      this.#quietMs = 0;
      return undefined;
    }
    this.#quietMs += frameMs;
    if (this.#quietMs < params.silenceDurationMs) return undefined;
    this.#inSpeech = false;
    this.#quietMs = 0;
    // Like the real server, the end time includes the silence that ended the turn.
    return { type: 'speech_stopped', audioEndMs: Math.round(frameEndMs) };
  }
}

function frameRms(frame: readonly number[]): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  return Math.sqrt(sum / frame.length);
}
