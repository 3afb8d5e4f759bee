// Waiting for a playback we started on the caller (the failure sound) to finish: PlaybackFinished,
// the caller leaving, or a time limit, whichever comes first.

export class PlaybackWaits {
  readonly #waiters = new Map<string, () => void>();
  #count = 0;
  #allWoken = false;

  /** A number for the next playback id of the call. */
  next(): number {
    return ++this.#count;
  }

  wait(playbackId: string, timeoutMs: number): Promise<void> {
    if (this.#allWoken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(playbackId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.set(playbackId, done);
    });
  }

  finished(playbackId: string): void {
    this.#waiters.get(playbackId)?.();
  }

  /** The caller is gone: nothing will play to them any more. */
  wakeAll(): void {
    this.#allWoken = true;
    for (const wake of [...this.#waiters.values()]) wake();
  }
}
