// Asterisk sends no RTP while the caller is silent, but the model's voice-activity detection
// must hear that silence to end the caller's turn. While the call is up, a 20 ms clock checks
// for a gap in the caller's audio; once it is longer than `fillAfterMs`, silence frames go to
// the model in its place, the first ones making up for the gap so audio time keeps pace.
import { FRAME_BYTES, FRAME_MS, type G711Law, SILENCE_BYTE } from './codec/g711.ts';
import { FrameClock } from './frame-clock.ts';

export interface CallerSilenceFillerOptions {
  law: G711Law;
  fillAfterMs: number;
  /** Sends one 20 ms frame to the model, already base64-encoded. */
  sendBase64Frame: (base64: string) => void;
  now?: () => number;
}

export class CallerSilenceFiller {
  /** One silence frame in base64, built once: filling costs no encoding. */
  readonly #silenceBase64: string;
  readonly #fillAfterMs: number;
  readonly #send: (base64: string) => void;
  readonly #now: () => number;
  readonly #clock: FrameClock;
  #lastAudioAt: number;
  #filling = false;
  framesSent = 0;

  constructor(options: CallerSilenceFillerOptions) {
    if (!(options.fillAfterMs >= FRAME_MS)) throw new RangeError(`fillAfterMs must be at least ${FRAME_MS}`);
    this.#silenceBase64 = Buffer.alloc(FRAME_BYTES, SILENCE_BYTE[options.law]).toString('base64');
    this.#fillAfterMs = options.fillAfterMs;
    this.#send = options.sendBase64Frame;
    this.#now = options.now ?? (() => performance.now());
    this.#lastAudioAt = this.#now();
    this.#clock = new FrameClock({ onTick: this.#onTick, now: this.#now });
  }

  start(): void {
    this.#lastAudioAt = this.#now();
    this.#filling = false;
    this.#clock.start();
  }

  stop(): void {
    this.#clock.stop();
  }

  /** The caller's own audio just went to the model. */
  noteCallerAudio(): void {
    this.#lastAudioAt = this.#now();
    this.#filling = false;
  }

  readonly #onTick = (): void => {
    const gapMs = this.#now() - this.#lastAudioAt;
    if (gapMs < this.#fillAfterMs) return;
    // On entering a gap, cover the time already silent; afterwards one frame per tick.
    const frames = this.#filling ? 1 : Math.floor(gapMs / FRAME_MS);
    this.#filling = true;
    for (let i = 0; i < frames; i++) this.#send(this.#silenceBase64);
    this.framesSent += frames;
  };
}
