import { type AudioFormatType, encodeFromLinear, sampleRateOf } from './audio-format.ts';

export interface ToneSegment {
  /** Tone frequency; 0 for silence. */
  hz: number;
  ms: number;
}

export interface ToneOptions {
  /** Peak amplitude as a fraction of full scale. */
  amplitude?: number;
}

// Audio built from tone and silence segments, encoded in the given wire format.
export function toneAudio(
  format: AudioFormatType,
  segments: readonly ToneSegment[],
  options: ToneOptions = {},
): Buffer {
  const rate = sampleRateOf(format);
  const amplitude = (options.amplitude ?? 0.3) * 32767;
  const samples: number[] = [];
  for (const segment of segments) {
    const count = Math.round((segment.ms * rate) / 1000);
    for (let i = 0; i < count; i++) {
      samples.push(segment.hz === 0 ? 0 : amplitude * Math.sin((2 * Math.PI * segment.hz * i) / rate));
    }
  }
  return encodeFromLinear(format, samples);
}

export function silenceAudio(format: AudioFormatType, ms: number): Buffer {
  return toneAudio(format, [{ hz: 0, ms }]);
}

// The default reply: four 440 Hz beeps with short gaps, 1.5 s in all, easy to spot in a capture.
export const defaultReplyPattern: readonly ToneSegment[] = [
  { hz: 440, ms: 320 },
  { hz: 0, ms: 55 },
  { hz: 440, ms: 320 },
  { hz: 0, ms: 55 },
  { hz: 440, ms: 320 },
  { hz: 0, ms: 55 },
  { hz: 440, ms: 320 },
  { hz: 0, ms: 55 },
];

export function defaultReplyAudio(format: AudioFormatType): Buffer {
  return toneAudio(format, defaultReplyPattern);
}
