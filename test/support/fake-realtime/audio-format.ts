import type { RealtimeAudioFormats } from 'openai/resources/realtime/realtime';
import { decodeAlaw, decodeMulaw } from './g711-decode.ts';
import { encodeAlaw, encodeMulaw } from './g711-encode.ts';

// The three GA audio formats: 24 kHz 16-bit LE PCM, and 8 kHz G.711 μ-law / A-law.
export type AudioFormatType = 'audio/pcm' | 'audio/pcmu' | 'audio/pcma';

export const audioFormatTypes: readonly AudioFormatType[] = ['audio/pcm', 'audio/pcmu', 'audio/pcma'];

export function isAudioFormatType(value: unknown): value is AudioFormatType {
  return typeof value === 'string' && (audioFormatTypes as readonly string[]).includes(value);
}

// The server's default when a format omits its type is PCM 24 kHz.
export function formatTypeOf(format: RealtimeAudioFormats | undefined): AudioFormatType {
  return format?.type ?? 'audio/pcm';
}

export function formatObject(type: AudioFormatType): RealtimeAudioFormats {
  return type === 'audio/pcm' ? { type, rate: 24000 } : { type };
}

export function sampleRateOf(type: AudioFormatType): number {
  return type === 'audio/pcm' ? 24000 : 8000;
}

export function bytesPerMs(type: AudioFormatType): number {
  return type === 'audio/pcm' ? 48 : 8;
}

export function durationMs(type: AudioFormatType, byteLength: number): number {
  return byteLength / bytesPerMs(type);
}

export function decodeToLinear(type: AudioFormatType, bytes: Uint8Array): Int16Array {
  if (type === 'audio/pcmu') return decodeMulaw(bytes);
  if (type === 'audio/pcma') return decodeAlaw(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function encodeFromLinear(type: AudioFormatType, samples: ArrayLike<number>): Buffer {
  if (type === 'audio/pcmu') return encodeMulaw(samples);
  if (type === 'audio/pcma') return encodeAlaw(samples);
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(clampInt16(samples[i]!), i * 2);
  return out;
}

function clampInt16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}
