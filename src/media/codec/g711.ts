// G.711 at 8 kHz: one byte per sample, so a 20 ms frame is 160 bytes and a byte is 1/8 ms.
// The codec tables are for tools (WAV output, tests); the call path never transcodes.

export type G711Law = 'ulaw' | 'alaw';

export const SAMPLE_RATE_HZ = 8000;
export const FRAME_MS = 20;
export const FRAME_BYTES = 160;
export const BYTES_PER_MS = 8;

/** Static RTP payload types (RFC 3551): PCMU 0, PCMA 8. */
export const PAYLOAD_TYPE: Readonly<Record<G711Law, number>> = { ulaw: 0, alaw: 8 };

/** The code of digital silence (linear 0) in each law. */
export const SILENCE_BYTE: Readonly<Record<G711Law, number>> = { ulaw: 0xff, alaw: 0xd5 };

/** Realtime API audio format names for each law. */
export const REALTIME_FORMAT: Readonly<Record<G711Law, 'audio/pcmu' | 'audio/pcma'>> = {
  ulaw: 'audio/pcmu',
  alaw: 'audio/pcma',
};

export function decodeUlaw(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

export function decodeAlaw(code: number): number {
  const a = code ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  let magnitude = (a & 0x0f) << 4;
  magnitude = exponent === 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

export function encodeUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function encodeAlaw(sample: number): number {
  let s = Math.max(-32767, Math.min(32767, Math.round(sample)));
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  let code: number;
  if (s < 256) {
    code = s >> 4;
  } else {
    let exponent = 1;
    for (let v = s >> 8; v > 1; v >>= 1) exponent++;
    code = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  }
  return (code | sign) ^ 0x55;
}

export function decodeG711(law: G711Law, bytes: Uint8Array): Int16Array {
  const decode = law === 'ulaw' ? decodeUlaw : decodeAlaw;
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = decode(bytes[i]!);
  return out;
}
