import { type AudioFormatType, decodeToLinear, durationMs, sampleRateOf } from './audio-format.ts';
import { EnergyVad, type VadParams } from './energy-vad.ts';
import { newRealtimeId } from './realtime-ids.ts';

export interface AudioAppendRecord {
  at: number;
  bytes: Buffer;
}

export type TurnEvent =
  | { type: 'speech_started'; itemId: string; audioStartMs: number }
  | { type: 'speech_stopped'; itemId: string; audioEndMs: number };

// The input audio buffer: every append as received, the uncommitted part, and server VAD over it.
export class InputAudioTurns {
  readonly appends: AudioAppendRecord[] = [];
  readonly #vad = new EnergyVad();
  #pending: Buffer[] = [];
  #pendingMs = 0;
  #speechItemId: string | undefined;
  #pcmCarry: Buffer | undefined;

  get speechItemId(): string | undefined {
    return this.#speechItemId;
  }

  get uncommittedMs(): number {
    return this.#pendingMs;
  }

  /** Records an append; runs the VAD over it unless `vad` is null (turn detection off). */
  append(at: number, bytes: Buffer, format: AudioFormatType, vad: VadParams | null): TurnEvent[] {
    this.appends.push({ at, bytes });
    this.#pending.push(bytes);
    this.#pendingMs += durationMs(format, bytes.length);
    const samples = this.#decode(format, bytes);
    if (vad === null) return [];
    const events: TurnEvent[] = [];
    for (const event of this.#vad.feed(samples, sampleRateOf(format), vad)) {
      if (event.type === 'speech_started') {
        this.#speechItemId = newRealtimeId('item');
        events.push({ type: 'speech_started', itemId: this.#speechItemId, audioStartMs: event.audioStartMs });
      } else {
        const itemId = this.#speechItemId ?? newRealtimeId('item');
        this.#speechItemId = undefined;
        events.push({ type: 'speech_stopped', itemId, audioEndMs: event.audioEndMs });
      }
    }
    return events;
  }

  forceSpeechStarted(vad: VadParams): TurnEvent {
    const audioStartMs = this.#vad.forceStart(vad);
    this.#speechItemId = newRealtimeId('item');
    return { type: 'speech_started', itemId: this.#speechItemId, audioStartMs };
  }

  forceSpeechStopped(): TurnEvent {
    const audioEndMs = this.#vad.forceStop();
    const itemId = this.#speechItemId ?? newRealtimeId('item');
    this.#speechItemId = undefined;
    return { type: 'speech_stopped', itemId, audioEndMs };
  }

  /** Empties the uncommitted buffer, returning how much audio it held. */
  takePending(): { bytes: Buffer; ms: number } {
    const taken = { bytes: Buffer.concat(this.#pending), ms: this.#pendingMs };
    this.#pending = [];
    this.#pendingMs = 0;
    return taken;
  }

  /** Forgets any speech in progress (a manual commit or clear ends the VAD turn). */
  resetSpeech(): void {
    this.#vad.resetSpeech();
    this.#speechItemId = undefined;
  }

  clear(): void {
    this.takePending();
    this.resetSpeech();
  }

  inputAudio(): Buffer {
    return Buffer.concat(this.appends.map((a) => a.bytes));
  }

  // PCM16 appends may split a sample across messages; carry the odd byte over.
  #decode(format: AudioFormatType, bytes: Buffer): Int16Array {
    if (format !== 'audio/pcm') {
      this.#pcmCarry = undefined;
      return decodeToLinear(format, bytes);
    }
    const joined = this.#pcmCarry ? Buffer.concat([this.#pcmCarry, bytes]) : bytes;
    const even = joined.length - (joined.length % 2);
    this.#pcmCarry = even < joined.length ? joined.subarray(even) : undefined;
    return decodeToLinear(format, joined.subarray(0, even));
  }
}
