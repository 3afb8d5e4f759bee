// G.711 compression from 16-bit linear PCM (ITU-T G.711), used for the fake's reply audio.

const mulawBias = 0x84;
const mulawClip = 32635;

export function linearToMulaw(sample: number): number {
  let value = Math.trunc(sample);
  const sign = value < 0 ? 0x80 : 0;
  if (sign) value = -value;
  if (value > mulawClip) value = mulawClip;
  value += mulawBias;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

// Segment end points for 13-bit magnitudes.
const alawSegmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

export function linearToAlaw(sample: number): number {
  let value = Math.trunc(sample) >> 3;
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = alawSegmentEnds.findIndex((end) => value <= end);
  if (segment === -1) return 0x7f ^ mask;
  const quantised = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | quantised) ^ mask;
}

export function encodeMulaw(samples: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]!);
  return out;
}

export function encodeAlaw(samples: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}
