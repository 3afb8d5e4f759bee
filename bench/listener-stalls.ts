// Watches the benchmark process's own event loop. The fake Asterisk stamps each packet the
// caller hears when this loop gets to it, so while the loop is blocked (GC, a burst of work,
// the CPU busy elsewhere) heard times come out late through no fault of the daemon. A 1 ms timer
// records every stretch in which it ran late by `stallMs` or more.

export interface Stall {
  /** Epoch ms when the loop was last seen running on time. */
  from: number;
  /** Epoch ms when it ran again. */
  to: number;
}

export class ListenerStalls {
  readonly stalls: Stall[] = [];
  /** How late each tick ran, ms. */
  readonly lateness: number[] = [];
  readonly #stallMs: number;
  #timer: NodeJS.Timeout | null = null;
  #last = 0;

  constructor(stallMs: number) {
    this.#stallMs = stallMs;
  }

  start(): void {
    this.#last = performance.now();
    this.#timer = setTimeout(this.#tick, 1);
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  readonly #tick = (): void => {
    const now = performance.now();
    const late = Math.max(0, now - this.#last - 1);
    this.lateness.push(late);
    if (late >= this.#stallMs) {
      this.stalls.push({ from: performance.timeOrigin + this.#last, to: performance.timeOrigin + now });
    }
    this.#last = now;
    this.#timer = setTimeout(this.#tick, 1);
  };
}

/** True when `at` (epoch ms) fell in a stall or within `drainMs` after it, while queued work drained. */
export function duringStall(stalls: readonly Stall[], at: number, drainMs: number): boolean {
  let lo = 0;
  let hi = stalls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stalls[mid]!.to + drainMs < at) lo = mid + 1;
    else hi = mid;
  }
  const stall = stalls[lo];
  return stall !== undefined && stall.from <= at;
}
