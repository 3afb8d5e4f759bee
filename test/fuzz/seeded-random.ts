// A small seeded PRNG (mulberry32) so every soak and fuzz run can be replayed from its seed.

export class SeededRandom {
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A seed from the environment (FUZZ_SEED / SOAK_SEED), else a fresh one. */
  static seedFrom(value: string | undefined): number {
    if (value !== undefined && value.trim() !== '') {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`not a seed: ${value}`);
      return parsed >>> 0;
    }
    return (Date.now() ^ (process.pid << 16)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  uint32(): number {
    return (this.next() * 4294967296) >>> 0;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [weight] of choices) total += weight;
    let roll = this.next() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices.at(-1)![1];
  }

  bytes(length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) buf[i] = this.int(256);
    return buf;
  }

  /** A fresh generator for a sub-task, so adding draws in one place does not shift the others. */
  fork(): SeededRandom {
    return new SeededRandom(this.uint32());
  }
}
