// The call as the caller experienced it, as one WAV file: the agent's audio placed where its
// packets reached the caller, mixed with the caller's own voice where it was spoken (a phone's
// sidetone). One clock starts when the call was placed, so a second into the file is a second
// into the printed timeline, and the interruption is heard exactly where it happened.
import type { HeardPacket } from '../../test/support/fake-asterisk/fake-asterisk.ts';
import { decodeG711, FRAME_BYTES, type G711Format } from '../../test/support/fake-asterisk/g711.ts';

export const WAV_SAMPLE_RATE = 8000;
const SAMPLES_PER_MS = WAV_SAMPLE_RATE / 1000;

/** G.711 audio that started at `at` (epoch ms). */
export interface TimedAudio {
  at: number;
  audio: Buffer;
}

export interface CallerSideRecordingInput {
  /** Epoch ms of the file's first sample: when the call was placed. */
  origin: number;
  /** Epoch ms of its end: when the caller hung up. */
  end: number;
  format: G711Format;
  /** Everything from the gateway that reached the caller. */
  heard: readonly HeardPacket[];
  /** What the caller said. */
  spoken: readonly TimedAudio[];
}

/** 16-bit PCM, 8 kHz mono WAV. */
export function callerSideWav(input: CallerSideRecordingInput): Buffer {
  const samples = new Int32Array(Math.max(0, Math.ceil((input.end - input.origin) * SAMPLES_PER_MS)));
  for (const part of placeHeard(input.heard, input.origin))
    mix(samples, part.start, part.audio, input.format);
  for (const part of input.spoken) {
    mix(samples, Math.round((part.at - input.origin) * SAMPLES_PER_MS), part.audio, input.format);
  }
  return pcm16Wav(samples);
}

/** Milliseconds of audio in a WAV file's data. */
export function wavDurationMs(wav: Buffer): number {
  return (wav.readUInt32LE(40) / 2 / WAV_SAMPLE_RATE) * 1000;
}

// Packets play back to back, as a phone's jitter buffer would play them; a gap longer than a
// frame means the gateway paused, and the next packet starts where it arrived.
function placeHeard(heard: readonly HeardPacket[], origin: number): { start: number; audio: Buffer }[] {
  const placed: { start: number; audio: Buffer }[] = [];
  let cursor = Number.NEGATIVE_INFINITY;
  for (const packet of heard) {
    const due = Math.round((packet.at - origin) * SAMPLES_PER_MS);
    if (due - cursor > FRAME_BYTES) cursor = due;
    placed.push({ start: cursor, audio: packet.payload });
    cursor += packet.payload.length;
  }
  return placed;
}

function mix(samples: Int32Array, start: number, audio: Buffer, format: G711Format): void {
  const decoded = decodeG711(audio, format);
  for (let i = 0; i < decoded.length; i++) {
    const index = start + i;
    if (index >= 0 && index < samples.length) samples[index]! += decoded[i]!;
  }
}

function pcm16Wav(samples: Int32Array): Buffer {
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(WAV_SAMPLE_RATE, 24);
  wav.writeUInt32LE(WAV_SAMPLE_RATE * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    wav.writeInt16LE(Math.max(-32768, Math.min(32767, samples[i]!)), 44 + i * 2);
  }
  return wav;
}
