// G.711 μ-law / A-law: the two payloads the fake carries. Conversion goes through 16-bit linear
// PCM, as Asterisk's translator does when a caller and an externalMedia channel differ in format.

export type G711Format = 'ulaw' | 'alaw';

export const G711_FORMATS: readonly G711Format[] = ['ulaw', 'alaw'];

/** Static RTP payload type: PCMU 0, PCMA 8. */
export const payloadTypeOf = (format: G711Format): number => (format === 'ulaw' ? 0 : 8);

/** The byte that decodes to zero amplitude. */
export const silenceByte = (format: G711Format): number => (format === 'ulaw' ? 0xff : 0xd5);

/** 20 ms at 8 kHz: one RTP packet's worth. */
export const FRAME_BYTES = 160;

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

export function linearToUlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  s = Math.min(s, ULAW_CLIP) + ULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

export function linearToAlaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3;
  let mask = 0xd5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const segment = ALAW_SEGMENT_ENDS.findIndex((end) => pcm <= end);
  if (segment < 0) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (pcm >> 1) & 0x0f : (pcm >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

export function decodeG711(payload: Uint8Array, format: G711Format): Int16Array {
  const toLinear = format === 'ulaw' ? ulawToLinear : alawToLinear;
  return Int16Array.from(payload, toLinear);
}

export function encodeG711(samples: ArrayLike<number>, format: G711Format): Buffer {
  const fromLinear = format === 'ulaw' ? linearToUlaw : linearToAlaw;
  return Buffer.from(Array.from(samples, fromLinear));
}

export function transcodeG711(payload: Buffer, from: G711Format, to: G711Format): Buffer {
  return from === to ? payload : encodeG711(decodeG711(payload, from), to);
}

/** A sine tone, handy for tests: `tone(440, 1000, 'ulaw')` is one second of A4. */
export function tone(frequencyHz: number, durationMs: number, format: G711Format, amplitude = 8000): Buffer {
  const samples = Math.round((durationMs * 8000) / 1000);
  const linear = Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / 8000)),
  );
  return encodeG711(linear, format);
}
