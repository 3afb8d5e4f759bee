import { describe, expect, it } from 'vitest';
import {
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  SILENCE_BYTE,
} from '../../../src/media/codec/g711.ts';

describe('G.711', () => {
  it('round-trips every μ-law code except negative zero', () => {
    for (let code = 0; code < 256; code++) {
      if (code === 0x7f) continue; // -0 encodes back as +0 (0xff)
      expect(encodeUlaw(decodeUlaw(code))).toBe(code);
    }
  });

  it('round-trips every A-law code', () => {
    for (let code = 0; code < 256; code++) expect(encodeAlaw(decodeAlaw(code))).toBe(code);
  });

  it('uses codes that decode to (near) zero as silence', () => {
    expect(decodeUlaw(SILENCE_BYTE.ulaw)).toBe(0);
    expect(Math.abs(decodeAlaw(SILENCE_BYTE.alaw))).toBeLessThanOrEqual(8);
  });

  it('keeps loud samples within the 16-bit range and their sign', () => {
    expect(decodeUlaw(encodeUlaw(30000))).toBeGreaterThan(28000);
    expect(decodeUlaw(encodeUlaw(-30000))).toBeLessThan(-28000);
    expect(decodeAlaw(encodeAlaw(30000))).toBeGreaterThan(28000);
    expect(decodeAlaw(encodeAlaw(-30000))).toBeLessThan(-28000);
  });
});
