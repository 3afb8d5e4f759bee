// Puts a caller's RTP payloads back in sequence order without adding delay in the normal case:
// an in-order packet is released at once. A packet that arrives ahead of a missing one waits at
// most `holdMs` for it; after that the missing ones count as lost. Duplicates and packets that
// arrive after their place was given up are dropped and counted.

export type ReorderOutcome = 'released' | 'held' | 'duplicate' | 'late';

export interface RtpReorderBufferOptions {
  /** Receives payloads in sequence order. */
  release: (payload: Buffer) => void;
  /** How many packets may wait for a missing one (the window). */
  windowPackets?: number;
  holdMs?: number;
}

const GIVEN_UP_REMEMBERED = 256;
const GIVEN_UP_RANGES = 16;

/** Signed distance from a to b in 16-bit sequence space. */
function sequenceDelta(from: number, to: number): number {
  return (((to - from) & 0xffff) << 16) >> 16;
}

export class RtpReorderBuffer {
  readonly #release: (payload: Buffer) => void;
  readonly #window: number;
  readonly #holdMs: number;
  readonly #slots: (Buffer | null)[];
  #expected: number | null = null;
  #held = 0;
  #holdTimer: NodeJS.Timeout | null = null;
  /** Ranges of sequence numbers given up as lost recently, to tell a late packet from a duplicate. */
  readonly #givenUp: { start: number; count: number }[] = [];

  lost = 0;
  reordered = 0;

  constructor(options: RtpReorderBufferOptions) {
    this.#release = options.release;
    this.#window = options.windowPackets ?? 4;
    this.#holdMs = options.holdMs ?? 20;
    if (!Number.isInteger(this.#window) || this.#window < 1 || this.#window > 64) {
      throw new RangeError('windowPackets must be an integer from 1 to 64');
    }
    if (!(this.#holdMs >= 0)) throw new RangeError('holdMs must be zero or more');
    this.#slots = new Array<Buffer | null>(this.#window).fill(null);
  }

  push(sequence: number, payload: Buffer): ReorderOutcome {
    if (this.#expected === null) {
      this.#releaseInOrder(sequence, payload);
      return 'released';
    }
    const delta = sequenceDelta(this.#expected, sequence);
    if (delta === 0) {
      this.#releaseInOrder(sequence, payload);
      this.#drain();
      return 'released';
    }
    if (delta < 0) {
      return this.#wasGivenUp(sequence) ? 'late' : 'duplicate';
    }
    if (delta >= this.#window) {
      // Far ahead: a burst of loss or a restarted stream. Give up on the gap now.
      this.#skipTo(sequence);
      this.#releaseInOrder(sequence, payload);
      this.#drain();
      return 'released';
    }
    const slot = sequence % this.#window;
    if (this.#slots[slot] !== null) return 'duplicate';
    this.#slots[slot] = payload;
    this.#held++;
    this.reordered++;
    if (this.#holdTimer === null) this.#holdTimer = setTimeout(this.#onHoldExpired, this.#holdMs);
    return 'held';
  }

  /** Forgets the stream (e.g. a new SSRC): held packets are released in order first. */
  reset(): void {
    this.#flushHeld();
    this.#expected = null;
    this.#givenUp.length = 0;
  }

  /** Stops the hold timer and drops held packets, for teardown; returns how many were dropped. */
  close(): number {
    const dropped = this.#held;
    this.#clearHoldTimer();
    this.#slots.fill(null);
    this.#held = 0;
    return dropped;
  }

  readonly #onHoldExpired = (): void => {
    this.#holdTimer = null;
    if (this.#held === 0 || this.#expected === null) return;
    // Skip to the first held packet, counting what was skipped as lost.
    for (let step = 1; step < this.#window; step++) {
      const sequence = (this.#expected + step) & 0xffff;
      if (this.#slots[sequence % this.#window] !== null) {
        this.#skipTo(sequence);
        break;
      }
    }
    this.#drain();
    if (this.#held > 0) this.#holdTimer = setTimeout(this.#onHoldExpired, this.#holdMs);
  };

  #releaseInOrder(sequence: number, payload: Buffer): void {
    this.#expected = (sequence + 1) & 0xffff;
    this.#release(payload);
  }

  /** Releases held packets that are now next in line. */
  #drain(): void {
    while (this.#held > 0 && this.#expected !== null) {
      const slot = this.#expected % this.#window;
      const payload = this.#slots[slot];
      if (payload === null || payload === undefined) break;
      this.#slots[slot] = null;
      this.#held--;
      this.#releaseInOrder(this.#expected, payload);
    }
    if (this.#held === 0) this.#clearHoldTimer();
  }

  /** Marks every sequence before `sequence` still missing as lost, releasing held ones in order. */
  #skipTo(sequence: number): void {
    if (this.#expected === null) return;
    // Held packets lie within the window ahead: step through it, releasing them in order.
    while (this.#held > 0 && this.#expected !== sequence) {
      const slot = this.#expected % this.#window;
      const payload = this.#slots[slot];
      if (payload !== null && payload !== undefined) {
        this.#slots[slot] = null;
        this.#held--;
        this.#releaseInOrder(this.#expected, payload);
        continue;
      }
      this.lost++;
      this.#giveUp(this.#expected, 1);
      this.#expected = (this.#expected + 1) & 0xffff;
    }
    // The rest of the gap in one step: a packet far ahead must cost no more than one in order.
    const gap = sequenceDelta(this.#expected, sequence);
    if (gap > 0) {
      // A jump this large is a new stream position, not loss worth counting packet by packet.
      const missing = gap > 0x1000 ? 1 : gap;
      this.lost += missing;
      this.#giveUp(this.#expected, missing);
    }
    this.#expected = sequence;
  }

  #flushHeld(): void {
    if (this.#expected !== null) {
      for (let step = 0; step < this.#window && this.#held > 0; step++) {
        const sequence: number = (this.#expected + step) & 0xffff;
        const slot = sequence % this.#window;
        const payload = this.#slots[slot];
        if (payload !== null && payload !== undefined) {
          this.#slots[slot] = null;
          this.#held--;
          this.#release(payload);
        }
      }
    }
    this.#clearHoldTimer();
  }

  /** Remembers `count` sequence numbers from `first` as given up (the most recent ones only). */
  #giveUp(first: number, count: number): void {
    const kept = Math.min(count, GIVEN_UP_REMEMBERED);
    const start = (first + count - kept) & 0xffff;
    const last = this.#givenUp[this.#givenUp.length - 1];
    if (last !== undefined && ((last.start + last.count) & 0xffff) === start) {
      last.count = Math.min(last.count + kept, GIVEN_UP_REMEMBERED);
      last.start = (start + kept - last.count) & 0xffff;
    } else {
      this.#givenUp.push({ start, count: kept });
      if (this.#givenUp.length > GIVEN_UP_RANGES) this.#givenUp.shift();
    }
  }

  #wasGivenUp(sequence: number): boolean {
    for (const range of this.#givenUp) {
      const offset = sequenceDelta(range.start, sequence);
      if (offset >= 0 && offset < range.count) return true;
    }
    return false;
  }

  #clearHoldTimer(): void {
    if (this.#holdTimer !== null) {
      clearTimeout(this.#holdTimer);
      this.#holdTimer = null;
    }
  }
}
