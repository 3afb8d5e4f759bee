// Caller frames that can be recognised at the far end: the first 4 bytes of every 160-byte frame
// carry a unique 24-bit counter, so an input_audio_buffer.append seen by the fake Realtime
// server (which reports each append's first 4 bytes) is matched to the RTP frame that carried it.
import { FRAME_BYTES, tone } from '../test/support/fake-asterisk/g711.ts';

/** μ-law 0xFF decodes to 0: the rest of a quiet frame, and what the daemon's silence filler sends. */
const ULAW_SILENCE = 0xff;

// Each tag byte holds 6 bits as a μ-law code of magnitude ≤ 372 (segment 0 or 1), so a tag never
// makes a quiet frame loud enough for the fake's energy VAD (-35 dBFS ≈ 583 RMS).
function tagByte(bits: number): number {
  return 0x60 | (bits & 0x20 ? 0x80 : 0) | (bits & 0x1f);
}

export const MAX_TAG = 2 ** 24 - 2; // 2^24 - 1 would encode as ffffffff, the silence filler's head.

/** Writes the tag into the 4 bytes at `offset` (the payload's start). */
export function writeTag(frame: Buffer, tag: number, offset = 0): void {
  if (!Number.isInteger(tag) || tag < 0 || tag > MAX_TAG) throw new RangeError(`tag out of range: ${tag}`);
  for (let i = 0; i < 4; i++) frame[offset + i] = tagByte(tag >>> (6 * (3 - i)));
}

/** The tag written by writeTag, or -1 when the 4 bytes are not one (e.g. the silence filler's 0xff). */
export function readTag(frame: Uint8Array): number {
  let tag = 0;
  for (let i = 0; i < 4; i++) {
    const byte = frame[i];
    if (byte === undefined || (byte & 0x60) !== 0x60) return -1;
    tag = tag * 64 + ((byte & 0x1f) | (byte & 0x80 ? 0x20 : 0));
  }
  return tag > MAX_TAG ? -1 : tag;
}

/** The append `head` (hex of the first 4 bytes) a frame with this tag produces. */
export function tagHead(tag: number): string {
  const frame = Buffer.alloc(4);
  writeTag(frame, tag);
  return frame.toString('hex');
}

/** Hands out tags unique across every call of a run. */
export class TagCounter {
  #next = 1;

  next(): number {
    if (this.#next > MAX_TAG) throw new RangeError('ran out of frame tags');
    return this.#next++;
  }
}

/** The caller's frames: quiet (silence) or loud (a 300 Hz tone at -12 dBFS), each tagged. */
export class TaggedFrameSource {
  readonly #loud: Buffer;

  constructor(loudMs = 2000) {
    this.#loud = tone(300, loudMs, 'ulaw', 8000);
  }

  quiet(tag: number): Buffer {
    const frame = Buffer.alloc(FRAME_BYTES, ULAW_SILENCE);
    writeTag(frame, tag);
    return frame;
  }

  /** The `index`-th loud frame of a caller's utterance (the tone continues across frames). */
  loud(tag: number, index: number): Buffer {
    const frames = Math.floor(this.#loud.length / FRAME_BYTES);
    const offset = (index % frames) * FRAME_BYTES;
    const frame = Buffer.from(this.#loud.subarray(offset, offset + FRAME_BYTES));
    writeTag(frame, tag);
    return frame;
  }
}
