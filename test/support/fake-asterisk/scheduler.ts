// Every timer the fake starts goes through a Scheduler so that stop() (or an Asterisk "restart")
// can prove nothing is left running.

export class Scheduler {
  #timers = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Resolves after `ms` unless the scheduler is cleared first (then it never resolves). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(ms, resolve);
    });
  }

  get pending(): number {
    return this.#timers.size;
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
