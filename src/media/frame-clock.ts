// Calls a tick function on absolute 20 ms deadlines (next = previous + 20), so timer lateness
// never accumulates into drift the way setInterval's does. After a stall longer than
// `resyncAfterMs` the schedule restarts from now instead of firing a burst to catch up.
import { FRAME_MS } from './codec/g711.ts';

export interface FrameClockOptions {
  /** Called once per deadline; `lateMs` is how far past its deadline this tick runs. */
  onTick: (lateMs: number) => void;
  periodMs?: number;
  resyncAfterMs?: number;
  now?: () => number;
}

export class FrameClock {
  readonly #onTick: (lateMs: number) => void;
  readonly #periodMs: number;
  readonly #resyncAfterMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #nextDeadline = 0;
  #resyncs = 0;

  constructor(options: FrameClockOptions) {
    this.#onTick = options.onTick;
    this.#periodMs = options.periodMs ?? FRAME_MS;
    this.#resyncAfterMs = options.resyncAfterMs ?? 2 * this.#periodMs;
    this.#now = options.now ?? (() => performance.now());
    if (!(this.#periodMs > 0)) throw new RangeError('periodMs must be positive');
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  /** Times the schedule restarted after a stall. */
  get resyncs(): number {
    return this.#resyncs;
  }

  /** Starts ticking; the first tick is one period from now unless `firstDeadline` says otherwise. */
  start(firstDeadline = this.#now() + this.#periodMs): void {
    this.stop();
    this.#nextDeadline = firstDeadline;
    this.#schedule();
  }

  stop(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  readonly #fire = (): void => {
    this.#timer = null;
    const now = this.#now();
    const lateMs = now - this.#nextDeadline;
    if (lateMs > this.#resyncAfterMs) {
      this.#resyncs++;
      this.#nextDeadline = now + this.#periodMs;
    } else {
      this.#nextDeadline += this.#periodMs;
    }
    // Schedule before ticking so a tick that calls stop() wins.
    this.#schedule();
    this.#onTick(Math.max(0, lateMs));
  };

  #schedule(): void {
    this.#timer = setTimeout(this.#fire, Math.max(0, this.#nextDeadline - this.#now()));
  }
}
