// Wraps G.711 bytes in a WAV container (format tag 7 μ-law / 6 A-law, 8 kHz mono) so that what a
// fake caller heard can be written to disk and listened to.

import type { G711Format } from './g711.ts';

export function g711ToWav(payload: Buffer, format: G711Format): Buffer {
  const fmt = Buffer.alloc(8 + 18);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(18, 4);
  fmt.writeUInt16LE(format === 'ulaw' ? 7 : 6, 8);
  fmt.writeUInt16LE(1, 10); // mono
  fmt.writeUInt32LE(8000, 12); // sample rate
  fmt.writeUInt32LE(8000, 16); // byte rate
  fmt.writeUInt16LE(1, 20); // block align
  fmt.writeUInt16LE(8, 22); // bits per sample
  fmt.writeUInt16LE(0, 24); // no extra format bytes
  // Non-PCM WAV files carry a fact chunk with the sample count.
  const fact = Buffer.alloc(12);
  fact.write('fact', 0, 'ascii');
  fact.writeUInt32LE(4, 4);
  fact.writeUInt32LE(payload.length, 8);
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(payload.length, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + fmt.length + fact.length + dataHeader.length + payload.length, 4);
  riff.write('WAVE', 8, 'ascii');
  const pad = payload.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([riff, fmt, fact, dataHeader, payload, pad]);
}
