// Promises that resolve once a condition over recorded state holds, re-checked on every notify().
export class ChangeWaiters {
  readonly #waiters = new Set<(failure?: Error) => void>();

  wait<T>(check: () => T | undefined | null | false, timeoutMs: number, label: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        settle();
      };
      const waiter = (failure?: Error): void => {
        if (failure) {
          finish(() => reject(failure));
          return;
        }
        let value: T | undefined | null | false;
        try {
          value = check();
        } catch (error) {
          finish(() => reject(error));
          return;
        }
        if (value !== undefined && value !== null && value !== false) finish(() => resolve(value));
      };
      this.#waiters.add(waiter);
      waiter();
      if (!this.#waiters.has(waiter)) return;
      timer = setTimeout(
        () => finish(() => reject(new Error(`${label}: timed out after ${timeoutMs} ms`))),
        timeoutMs,
      );
    });
  }

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Rejects every pending wait (shutdown), so none keeps a timer alive. */
  failAll(error: Error): void {
    for (const waiter of [...this.#waiters]) waiter(error);
  }
}
