// A warning that can repeat thousands of times a second (a stream of malformed events) is
// logged the first few times, then once per hundred with the running count: the log shows
// that it keeps happening and how often without drowning everything else.

const LOGGED_IN_FULL = 5;
const THEN_EVERY = 100;

export class RepeatedWarning {
  #count = 0;

  /** Counts one occurrence; returns the running count when this one should be logged, else null. */
  occurred(): number | null {
    this.#count++;
    return this.#count <= LOGGED_IN_FULL || this.#count % THEN_EVERY === 0 ? this.#count : null;
  }
}
