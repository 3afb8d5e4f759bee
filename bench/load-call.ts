// One simulated call of `npm run bench:load`, the same against callbridge and the bare relay: a
// mouth that sends a quiet tagged 20 ms RTP frame on its own absolute clock, and an ear that keeps
// only what the figures need of each frame heard (arrival, sequence number, marker bit) while a
// measurement window is open. Tags are unique across the run, so an append seen by the fake
// Realtime server names the frame, the time it left, and the call that sent it.

import { MAX_TAG, writeTag } from './tagged-frames.ts';
import { epochMs } from './wall-clock.ts';

const FRAME_MS = 20;
const FRAME_BYTES = 160;
const HEADER_BYTES = 12;
const ULAW_SILENCE = 0xff;
const PACKET_BUFFERS = 4;

/** A growable typed array: millions of entries without the garbage collector scanning them. */
export class GrowableArray<T extends Float64Array | Int32Array> {
  #data: T;
  length = 0;
  readonly #make: (size: number) => T;

  constructor(make: (size: number) => T, initial = 4096) {
    this.#make = make;
    this.#data = make(initial);
  }

  push(value: number): void {
    if (this.length === this.#data.length) {
      const bigger = this.#make(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.length++] = value;
  }

  at(index: number): number {
    return index >= 0 && index < this.length ? this.#data[index]! : Number.NaN;
  }

  clear(): void {
    this.length = 0;
  }
}

/** Every caller frame of the run: which call sent each tag, and when (during a window). */
export class FrameLog {
  #next = 1;
  readonly #owners = new GrowableArray((n) => new Int32Array(n), 1 << 16);
  readonly #sentAt = new GrowableArray((n) => new Float64Array(n), 1 << 16);
  #recording = false;
  /** The window's tags are [firstTag, endTag). */
  firstTag = 0;
  endTag = 0;

  /** A fresh tag for a frame `owner` is about to send now. */
  next(owner: number, at: number): number {
    const tag = this.#next++;
    if (tag > MAX_TAG) throw new RangeError('ran out of frame tags');
    this.#owners.push(owner);
    if (this.#recording) this.#sentAt.push(at);
    return tag;
  }

  startWindow(): void {
    this.#sentAt.clear();
    this.firstTag = this.endTag = this.#next;
    this.#recording = true;
  }

  endWindow(): void {
    this.#recording = false;
    this.endTag = this.#next;
  }

  /** The call that sent `tag`, or -1. */
  ownerOf(tag: number): number {
    const owner = this.#owners.at(tag - 1);
    return Number.isNaN(owner) ? -1 : owner;
  }

  /** When a frame of the last window left (epoch ms), or NaN for a tag outside it. */
  sentAt(tag: number): number {
    return tag >= this.firstTag && tag < this.endTag ? this.#sentAt.at(tag - this.firstTag) : Number.NaN;
  }
}

/** What one call heard during the window, in arrival order. */
export interface HeardInWindow {
  at: GrowableArray<Float64Array>;
  sequence: GrowableArray<Int32Array>;
  /** 1 when the frame carried the marker bit (a talk spurt starts). */
  marker: GrowableArray<Int32Array>;
}

export class LoadCall {
  readonly index: number;
  /** Frames heard since the call started, window or not. */
  heardTotal = 0;
  /** Frames missing between the first and the last heard (sequence gaps), window or not. */
  gapsTotal = 0;
  #lastSequence = -1;
  readonly heard: HeardInWindow = {
    at: new GrowableArray((n) => new Float64Array(n), 1024),
    sequence: new GrowableArray((n) => new Int32Array(n), 1024),
    marker: new GrowableArray((n) => new Int32Array(n), 1024),
  };
  readonly #log: FrameLog;
  #windowFrom = Number.POSITIVE_INFINITY;
  #windowTo = Number.POSITIVE_INFINITY;
  #send: ((packet: Buffer) => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #deadline = 0;
  #sequence = Math.floor(Math.random() * 0x8000);
  #timestamp = Math.floor(Math.random() * 2 ** 32) >>> 0;
  // Packets rotate through a few buffers, as the daemon's pacer does: dgram may still hold the last.
  readonly #packets: Buffer[] = [];
  #packetIndex = 0;

  constructor(index: number, log: FrameLog) {
    this.index = index;
    this.#log = log;
    const ssrc = Math.floor(Math.random() * 2 ** 32) >>> 0;
    for (let i = 0; i < PACKET_BUFFERS; i++) {
      const packet = Buffer.alloc(HEADER_BYTES + FRAME_BYTES, ULAW_SILENCE);
      packet[0] = 0x80;
      packet[1] = 0; // PCMU
      packet.writeUInt32BE(ssrc, 8);
      this.#packets.push(packet);
    }
  }

  /** The ear: one frame heard at `at` (epoch ms). */
  hear(at: number, sequence: number, marker: boolean): void {
    this.heardTotal++;
    if (this.#lastSequence >= 0) {
      const step = (sequence - this.#lastSequence) & 0xffff;
      if (step > 1 && step < 0x8000) this.gapsTotal += step - 1;
    }
    this.#lastSequence = sequence;
    if (at < this.#windowFrom || at >= this.#windowTo) return;
    this.heard.at.push(at);
    this.heard.sequence.push(sequence);
    this.heard.marker.push(marker ? 1 : 0);
  }

  /** Frames heard from `from` on (epoch ms) are kept, until endWindow. */
  startWindow(from: number): void {
    this.heard.at.clear();
    this.heard.sequence.clear();
    this.heard.marker.clear();
    this.#windowFrom = from;
    this.#windowTo = Number.POSITIVE_INFINITY;
  }

  endWindow(to: number): void {
    this.#windowTo = to;
  }

  /** The mouth: from now on, one frame per 20 ms deadline through `send`. */
  startTalking(send: (packet: Buffer) => void): void {
    this.#send = send;
    // A random phase: real phones' clocks are not aligned with one another.
    this.#deadline = performance.now() + Math.random() * FRAME_MS;
    this.#timer = setTimeout(this.#tick, Math.max(0, this.#deadline - performance.now()));
  }

  stopTalking(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#send = null;
  }

  readonly #tick = (): void => {
    const now = performance.now();
    // A phone's clock does not burst to catch up after the load generator stalled.
    this.#deadline = now - this.#deadline > 2 * FRAME_MS ? now + FRAME_MS : this.#deadline + FRAME_MS;
    this.#timer = setTimeout(this.#tick, Math.max(0, this.#deadline - now));
    const at = epochMs();
    const packet = this.#packets[this.#packetIndex]!;
    this.#packetIndex = (this.#packetIndex + 1) % PACKET_BUFFERS;
    packet.writeUInt16BE(this.#sequence, 2);
    packet.writeUInt32BE(this.#timestamp, 4);
    writeTag(packet, this.#log.next(this.index, at), HEADER_BYTES);
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + FRAME_BYTES) >>> 0;
    this.#send?.(packet);
  };
}
