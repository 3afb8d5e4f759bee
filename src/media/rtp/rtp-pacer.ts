// Plays the agent's audio to Asterisk as RTP: 160-byte G.711 frames on absolute 20 ms
// deadlines. Audio is queued as it arrives (deltas come faster than real time) and the first
// frame of a talk spurt leaves at once, with the marker bit set. Sequence numbers are
// contiguous; timestamps advance with the clock, also across silences (RFC 3550 §5.1).
// Because we pace, we know exactly how much of each item has gone out: that is what
// conversation.item.truncate's audio_end_ms needs on barge-in.
import { randomInt } from 'node:crypto';
import {
  BYTES_PER_MS,
  FRAME_BYTES,
  FRAME_MS,
  type G711Law,
  PAYLOAD_TYPE,
  SILENCE_BYTE,
} from '../codec/g711.ts';
import { FrameClock } from '../frame-clock.ts';
import { RTP_HEADER_BYTES, writeRtpHeader } from './rtp-packet.ts';

const PACKET_BYTES = RTP_HEADER_BYTES + FRAME_BYTES;
/** Packets rotate through this many buffers: dgram may still hold the previous one. */
const PACKET_BUFFERS = 4;
const ITEMS_REMEMBERED = 16;

export interface RtpPacerOptions {
  law: G711Law;
  send: (packet: Buffer) => void;
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
  now?: () => number;
  /** Called after each frame leaves, with how late it was against its deadline. */
  onFrameSent?: (lateMs: number) => void;
  /** Queue audio without sending until release(): the call is not answered yet. */
  held?: boolean;
  /** Called when a talk spurt has played out completely (not when interrupted). */
  onPlayedOut?: () => void;
}

export interface InterruptResult {
  /** The item being played when interrupted (or the last one played). */
  itemId: string | null;
  /** Milliseconds of that item that went out as RTP. */
  playedMs: number;
  /** Queued audio bytes discarded. */
  droppedBytes: number;
}

export interface RtpPacerStats {
  framesSent: number;
  talkSpurts: number;
  /** Frames sent short of audio and padded with silence because the next delta was late. */
  underruns: number;
  /** Clock restarts after the event loop stalled for more than two frames. */
  stallResyncs: number;
}

export class RtpPacer {
  readonly stats: RtpPacerStats = { framesSent: 0, talkSpurts: 0, underruns: 0, stallResyncs: 0 };
  readonly #send: (packet: Buffer) => void;
  readonly #onFrameSent: ((lateMs: number) => void) | undefined;
  readonly #onPlayedOut: (() => void) | undefined;
  readonly #now: () => number;
  readonly #payloadType: number;
  readonly #silence: number;
  readonly #ssrc: number;
  readonly #packets: Buffer[] = [];
  readonly #clock: FrameClock;
  #packetIndex = 0;
  #sequence: number;
  #timestamp: number;
  #lastSentAt: number | null = null;
  #spurtStarting = false;
  #stopped = false;
  #held: boolean;

  // Queue of audio chunks with the item each belongs to; #head is the next chunk to play.
  readonly #chunks: Buffer[] = [];
  readonly #chunkItems: string[] = [];
  #head = 0;
  #headOffset = 0;
  #queuedBytes = 0;

  readonly #playedBytes = new Map<string, number>();
  #lastItemPlayed: string | null = null;

  constructor(options: RtpPacerOptions) {
    this.#send = options.send;
    this.#onFrameSent = options.onFrameSent;
    this.#onPlayedOut = options.onPlayedOut;
    this.#now = options.now ?? (() => performance.now());
    this.#held = options.held ?? false;
    this.#payloadType = PAYLOAD_TYPE[options.law];
    this.#silence = SILENCE_BYTE[options.law];
    this.#ssrc = options.ssrc ?? randomInt(0, 2 ** 32);
    this.#sequence = options.initialSequence ?? randomInt(0, 2 ** 16);
    this.#timestamp = options.initialTimestamp ?? randomInt(0, 2 ** 32);
    for (let i = 0; i < PACKET_BUFFERS; i++) this.#packets.push(Buffer.alloc(PACKET_BYTES));
    this.#clock = new FrameClock({ onTick: this.#onTick, now: this.#now });
  }

  /** True while a talk spurt is playing. */
  get talking(): boolean {
    return this.#clock.running;
  }

  /** Agent audio is playing or waiting to play. */
  get isPlaying(): boolean {
    return this.#clock.running || this.#queuedBytes > 0;
  }

  get queuedMs(): number {
    return this.#queuedBytes / BYTES_PER_MS;
  }

  /** Milliseconds of `itemId` that have gone out as RTP. */
  playedMs(itemId: string): number {
    return Math.floor((this.#playedBytes.get(itemId) ?? 0) / BYTES_PER_MS);
  }

  /** Queues agent audio; if nothing was playing, its first frame leaves now. */
  enqueue(itemId: string, audio: Buffer): void {
    if (this.#stopped || audio.length === 0) return;
    this.#chunks.push(audio);
    this.#chunkItems.push(itemId);
    this.#queuedBytes += audio.length;
    if (!this.#playedBytes.has(itemId)) this.#rememberItem(itemId);
    if (!this.#clock.running && !this.#held) this.#startSpurt();
  }

  /** The call is answered: audio queued meanwhile starts playing at once. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (this.#queuedBytes > 0 && !this.#stopped) this.#startSpurt();
  }

  /** Barge-in: drops everything queued at once and says how much of the current item was heard. */
  interrupt(): InterruptResult {
    const itemId = this.#head < this.#chunks.length ? this.#chunkItems[this.#head]! : this.#lastItemPlayed;
    const droppedBytes = this.#queuedBytes;
    this.#clearQueue();
    this.#clock.stop();
    return { itemId, playedMs: itemId === null ? 0 : this.playedMs(itemId), droppedBytes };
  }

  stop(): void {
    this.#stopped = true;
    this.#clearQueue();
    this.#clock.stop();
  }

  #startSpurt(): void {
    this.#spurtStarting = true;
    this.stats.talkSpurts++;
    const now = this.#now();
    this.#sendFrame(0);
    this.#clock.start(now + FRAME_MS);
  }

  readonly #onTick = (lateMs: number): void => {
    if (this.#queuedBytes === 0) {
      this.#clock.stop();
      this.#onPlayedOut?.();
      return;
    }
    this.stats.stallResyncs = this.#clock.resyncs;
    this.#sendFrame(lateMs);
  };

  #sendFrame(lateMs: number): void {
    const packet = this.#packets[this.#packetIndex]!;
    this.#packetIndex = (this.#packetIndex + 1) % PACKET_BUFFERS;

    let filled = 0;
    while (filled < FRAME_BYTES && this.#head < this.#chunks.length) {
      const chunk = this.#chunks[this.#head]!;
      const itemId = this.#chunkItems[this.#head]!;
      const take = Math.min(FRAME_BYTES - filled, chunk.length - this.#headOffset);
      chunk.copy(packet, RTP_HEADER_BYTES + filled, this.#headOffset, this.#headOffset + take);
      filled += take;
      this.#headOffset += take;
      this.#queuedBytes -= take;
      this.#playedBytes.set(itemId, (this.#playedBytes.get(itemId) ?? 0) + take);
      this.#lastItemPlayed = itemId;
      if (this.#headOffset === chunk.length) this.#advanceHead();
    }
    if (filled < FRAME_BYTES) {
      packet.fill(this.#silence, RTP_HEADER_BYTES + filled);
      this.stats.underruns++;
    }

    const now = this.#now();
    if (this.#spurtStarting) {
      // The clock kept running through the silence: advance the timestamp by the frames missed.
      if (this.#lastSentAt !== null) {
        const framesElapsed = Math.max(1, Math.round((now - this.#lastSentAt) / FRAME_MS));
        this.#timestamp = (this.#timestamp + framesElapsed * FRAME_BYTES) >>> 0;
      }
    } else {
      this.#timestamp = (this.#timestamp + FRAME_BYTES) >>> 0;
    }
    writeRtpHeader(
      packet,
      this.#payloadType,
      this.#spurtStarting,
      this.#sequence,
      this.#timestamp,
      this.#ssrc,
    );
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#spurtStarting = false;
    this.#lastSentAt = now;
    this.stats.framesSent++;
    this.#send(packet);
    this.#onFrameSent?.(lateMs);
  }

  #advanceHead(): void {
    this.#head++;
    this.#headOffset = 0;
    // Compact now and then instead of shifting on every chunk.
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#chunkItems.length = 0;
      this.#head = 0;
    } else if (this.#head >= 64) {
      this.#chunks.splice(0, this.#head);
      this.#chunkItems.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #clearQueue(): void {
    this.#chunks.length = 0;
    this.#chunkItems.length = 0;
    this.#head = 0;
    this.#headOffset = 0;
    this.#queuedBytes = 0;
  }

  #rememberItem(itemId: string): void {
    this.#playedBytes.set(itemId, 0);
    if (this.#playedBytes.size > ITEMS_REMEMBERED) {
      const oldest = this.#playedBytes.keys().next().value;
      if (oldest !== undefined && oldest !== itemId) this.#playedBytes.delete(oldest);
    }
  }
}
