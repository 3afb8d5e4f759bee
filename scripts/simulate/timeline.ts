// The printed timeline: lines stamped with the milliseconds since the call was placed, printed a
// stage at a time as the call goes on. Within a stage, lines are ordered by when things happened,
// which is not always the order they were learned in.

interface Entry {
  at: number;
  text: string;
  details: string[];
}

const TIME_COLUMN = 11;

export class Timeline {
  /** Epoch ms (float, the fakes' clock) that `+0 ms` stands for. */
  readonly origin: number;
  readonly #write: (text: string) => void;
  #pending: Entry[] = [];

  constructor(origin: number, write: (text: string) => void) {
    this.origin = origin;
    this.#write = write;
  }

  /** Milliseconds since the origin, rounded. */
  offset(at: number): number {
    return Math.round(at - this.origin);
  }

  /** Something that happened at `at` (epoch ms). */
  at(at: number, text: string): void {
    this.#pending.push({ at, text, details: [] });
  }

  /** A line without a time of its own, printed under the last line added. */
  detail(text: string): void {
    const last = this.#pending.at(-1);
    if (last === undefined) throw new Error('a timeline detail needs a line to go under');
    last.details.push(text);
  }

  /** A line outside the timeline (headings, summaries). */
  print(text: string): void {
    this.flush();
    this.#write(`${text}\n`);
  }

  /** Prints what has been added since the last flush, in time order. */
  flush(): void {
    const entries = this.#pending.sort((a, b) => a.at - b.at);
    this.#pending = [];
    for (const entry of entries) {
      this.#write(`  ${`+${this.offset(entry.at)} ms`.padEnd(TIME_COLUMN)}${entry.text}\n`);
      for (const detail of entry.details) this.#write(`  ${' '.repeat(TIME_COLUMN)}${detail}\n`);
    }
  }
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(2)} s`;
}

/** `1 barge-in`, `2 barge-ins`. */
export function count(n: unknown, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
