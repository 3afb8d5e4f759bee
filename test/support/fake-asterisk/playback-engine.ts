// Playbacks on channels and bridges: queued per target, PlaybackStarted when one begins,
// PlaybackContinuing between media of a list, PlaybackFinished when done, failed or stopped.
// No audio is produced; a playback lasts a configurable time per media URI.

import type { PlaybackState } from '../../../src/telephony/ari/ari-types.ts';
import { type PlaybackLog, type PlaybackRecord, playbackJson } from './asterisk-records.ts';
import type { AsteriskState } from './asterisk-state.ts';
import { nowMs } from './asterisk-time.ts';

export interface PlaybackEngineOptions {
  durationMs: number | ((mediaUri: string) => number);
  /** A media URI that Asterisk cannot play ends the playback with state `failed`. */
  fails: (mediaUri: string) => boolean;
}

const PLAYABLE_SCHEMES = ['sound:', 'recording:', 'number:', 'digits:', 'characters:', 'tone:'];

export const unknownMediaScheme = (uri: string): boolean => !PLAYABLE_SCHEMES.some((s) => uri.startsWith(s));

export class PlaybackEngine {
  #state: AsteriskState;
  #options: PlaybackEngineOptions;
  #byId = new Map<string, PlaybackRecord>();
  /** Per target URI; the first entry is the one playing. */
  #queues = new Map<string, PlaybackRecord[]>();

  constructor(state: AsteriskState, options: PlaybackEngineOptions) {
    this.#state = state;
    this.#options = options;
  }

  get(id: string): PlaybackRecord | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Queues media on `targetUri` (`channel:ID` or `bridge:ID`); the reply shows it `queued`. */
  start(
    targetUri: string,
    media: string[],
    language: string,
    id: string,
    logTo: PlaybackLog[][],
  ): PlaybackRecord {
    const log: PlaybackLog = {
      id,
      media,
      targetUri,
      state: 'queued',
      queuedAt: nowMs(),
      stoppedEarly: false,
    };
    for (const logs of logTo) logs.push(log);
    const playback: PlaybackRecord = {
      id,
      media,
      index: 0,
      targetUri,
      language,
      state: 'queued',
      logs: [log],
    };
    this.#byId.set(id, playback);
    const queue = this.#queues.get(targetUri) ?? [];
    queue.push(playback);
    this.#queues.set(targetUri, queue);
    // Begin after the HTTP reply, as Asterisk's channel thread would.
    if (queue.length === 1) this.#state.scheduler.after(0, () => this.#begin(playback));
    return playback;
  }

  /** DELETE /playbacks/{id}. */
  stop(id: string): boolean {
    const playback = this.#byId.get(id);
    if (!playback) return false;
    this.#finish(playback, 'done', true);
    return true;
  }

  stopTarget(targetUri: string): void {
    for (const playback of [...(this.#queues.get(targetUri) ?? [])]) this.#finish(playback, 'done', true);
  }

  /** True while media is being written to the target (not while merely queued). */
  isPlayingOn(targetUri: string): boolean {
    const active = this.#queues.get(targetUri)?.[0];
    return active !== undefined && (active.state === 'playing' || active.state === 'continuing');
  }

  forgetAll(): void {
    this.#byId.clear();
    this.#queues.clear();
  }

  #apps(targetUri: string): (string | undefined)[] {
    const [kind, id = ''] = targetUri.split(':');
    if (kind === 'bridge') return [...(this.#state.bridges.get(id)?.apps ?? [])];
    const ch = this.#state.channels.get(id);
    return ch ? this.#state.appsOf(ch) : [];
  }

  #emit(playback: PlaybackRecord, type: string): void {
    this.#state.router.emit(this.#apps(playback.targetUri), type, { playback: playbackJson(playback) });
  }

  #setState(playback: PlaybackRecord, state: PlaybackState): void {
    playback.state = state;
    for (const log of playback.logs) log.state = state;
  }

  #begin(playback: PlaybackRecord): void {
    if (!this.#byId.has(playback.id)) return;
    const [kind, id = ''] = playback.targetUri.split(':');
    const endpoint = kind === 'channel' ? this.#state.channels.get(id) : undefined;
    // Playing to an unanswered channel sends 183 Session Progress first (early media).
    if (endpoint?.endpoint && endpoint.state !== 'Up') endpoint.endpoint.progress = true;
    this.#setState(playback, 'playing');
    for (const log of playback.logs) log.startedAt = nowMs();
    this.#emit(playback, 'PlaybackStarted');
    this.#playCurrent(playback);
  }

  #playCurrent(playback: PlaybackRecord): void {
    const uri = playback.media[playback.index] ?? '';
    if (this.#options.fails(uri)) {
      this.#finish(playback, 'failed', false);
      return;
    }
    const d = this.#options.durationMs;
    const ms = typeof d === 'function' ? d(uri) : d;
    playback.cancelTimer = this.#state.scheduler.after(ms, () => this.#advance(playback));
  }

  #advance(playback: PlaybackRecord): void {
    if (playback.index + 1 >= playback.media.length) {
      this.#finish(playback, 'done', false);
      return;
    }
    playback.index++;
    this.#setState(playback, 'continuing');
    this.#emit(playback, 'PlaybackContinuing');
    this.#setState(playback, 'playing');
    this.#playCurrent(playback);
  }

  #finish(playback: PlaybackRecord, state: 'done' | 'failed', stoppedEarly: boolean): void {
    if (!this.#byId.delete(playback.id)) return;
    playback.cancelTimer?.();
    this.#setState(playback, state);
    for (const log of playback.logs) {
      log.finishedAt = nowMs();
      log.stoppedEarly = stoppedEarly;
    }
    this.#emit(playback, 'PlaybackFinished');
    const queue = (this.#queues.get(playback.targetUri) ?? []).filter((p) => p !== playback);
    if (queue.length === 0) this.#queues.delete(playback.targetUri);
    else this.#queues.set(playback.targetUri, queue);
    const next = queue[0];
    if (next && next.state === 'queued') this.#state.scheduler.after(0, () => this.#begin(next));
  }
}
