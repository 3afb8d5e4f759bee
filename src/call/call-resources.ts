// Everything one call created, released in reverse order of creation on any exit path. Each
// release runs in isolation so one failure never skips the rest; a resource whose creation is
// still in flight is released once that creation settles, so a hangup during set-up leaks
// nothing. Releasing twice is harmless: the second call returns the first one's promise.

export interface ReleaseReport {
  released: string[];
  failed: { name: string; error: string }[];
}

interface Entry {
  name: string;
  release: () => Promise<void> | void;
  created: Promise<unknown> | null;
}

export class CallResources {
  readonly #stack: Entry[] = [];
  readonly #report: ReleaseReport = { released: [], failed: [] };
  #releasing: Promise<ReleaseReport> | null = null;
  #draining = false;

  /** Registers a resource; `created` is its creation when that is still in flight. */
  add(name: string, release: () => Promise<void> | void, created: Promise<unknown> | null = null): void {
    this.#stack.push({ name, release, created });
    // Registered after teardown finished (a late creation): release it too.
    if (this.#releasing !== null && !this.#draining)
      this.#releasing = this.#releasing.then(() => this.#drain());
  }

  get pending(): number {
    return this.#stack.length;
  }

  get releasing(): boolean {
    return this.#releasing !== null;
  }

  releaseAll(): Promise<ReleaseReport> {
    this.#releasing ??= this.#drain();
    return this.#releasing;
  }

  async #drain(): Promise<ReleaseReport> {
    this.#draining = true;
    for (let entry = this.#stack.pop(); entry !== undefined; entry = this.#stack.pop()) {
      try {
        if (entry.created) await entry.created.catch(() => undefined);
        await entry.release();
        this.#report.released.push(entry.name);
      } catch (error) {
        this.#report.failed.push({
          name: entry.name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.#draining = false;
    return this.#report;
  }
}
