// Keypad digits (ChannelDtmfReceived) grouped into one entry per burst: digits arriving within
// the inter-digit timeout belong together. A single key the agent maps to an action (e.g. 0 →
// operator) acts at once, without the model; anything else goes to the model when the burst ends.

import type { DtmfKeyAction } from '../agents/agent-definition.ts';

export interface DtmfCollectorOptions {
  interDigitTimeoutMs: number;
  keys: Readonly<Partial<Record<string, DtmfKeyAction>>>;
  /** A burst of digits for the model. */
  onDigits: (digits: string) => void;
  /** A mapped key pressed on its own. */
  onKeyAction: (key: string, action: DtmfKeyAction) => void;
}

export class DtmfCollector {
  readonly #options: DtmfCollectorOptions;
  #buffer = '';
  #timer: NodeJS.Timeout | null = null;

  constructor(options: DtmfCollectorOptions) {
    if (!(options.interDigitTimeoutMs > 0)) throw new RangeError('interDigitTimeoutMs must be positive');
    this.#options = options;
  }

  press(digit: string): void {
    const keys = this.#options.keys;
    const action = Object.hasOwn(keys, digit) ? keys[digit] : undefined;
    if (this.#buffer === '' && action !== undefined) {
      this.#options.onKeyAction(digit, action);
      return;
    }
    this.#buffer += digit;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#flush, this.#options.interDigitTimeoutMs);
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#buffer = '';
  }

  readonly #flush = (): void => {
    this.#timer = null;
    const digits = this.#buffer;
    this.#buffer = '';
    if (digits) this.#options.onDigits(digits);
  };
}
