import { describe, expect, it } from 'vitest';
import { EnergyVad, energyThresholdRms } from '../support/fake-realtime/energy-vad.ts';
import { alawToLinear, mulawToLinear } from '../support/fake-realtime/g711-decode.ts';
import { linearToAlaw, linearToMulaw } from '../support/fake-realtime/g711-encode.ts';

describe("the fake's G.711 codec", () => {
  it('decodes the idle bytes to (near) zero', () => {
    expect(mulawToLinear(0xff)).toBe(0);
    expect(Math.abs(alawToLinear(0xd5))).toBe(8);
  });

  it('encodes zero to the idle bytes', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToAlaw(0)).toBe(0xd5);
  });

  it('round-trips every code word through linear PCM', () => {
    for (let byte = 0; byte < 256; byte++) {
      // μ-law has two zeros (0x7F and 0xFF); both encode back as 0xFF.
      if (byte !== 0x7f) expect(linearToMulaw(mulawToLinear(byte))).toBe(byte);
      expect(linearToAlaw(alawToLinear(byte))).toBe(byte);
    }
  });

  it('keeps quantisation error small across the range', () => {
    for (let sample = -32000; sample <= 32000; sample += 997) {
      const tolerance = Math.max(16, Math.abs(sample) / 16);
      expect(Math.abs(mulawToLinear(linearToMulaw(sample)) - sample)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(alawToLinear(linearToAlaw(sample)) - sample)).toBeLessThanOrEqual(tolerance);
    }
  });
});

describe("the fake's energy VAD", () => {
  const params = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 200 };

  it('puts the default threshold at -35 dBFS', () => {
    expect(20 * Math.log10(energyThresholdRms(0.5) / 32768)).toBeCloseTo(-35, 5);
  });

  it('ignores a single loud frame', () => {
    const vad = new EnergyVad();
    const samples = new Int16Array(8000);
    samples.fill(8000, 1600, 1760);
    expect(vad.feed(samples, 8000, params)).toEqual([]);
  });

  it('reports start and stop in audio time however the samples are split', () => {
    const samples = new Int16Array(16000);
    samples.fill(6000, 4000, 8000);
    const whole = new EnergyVad().feed(samples, 8000, params);
    const split = new EnergyVad();
    const pieces = [];
    for (let i = 0; i < samples.length; i += 37)
      pieces.push(...split.feed(samples.subarray(i, i + 37), 8000, params));
    expect(whole).toEqual([
      { type: 'speech_started', audioStartMs: 200, detectedAtMs: 540 },
      { type: 'speech_stopped', audioEndMs: 1200 },
    ]);
    expect(pieces).toEqual(whole);
  });
});
