// A fake caller (or the callee of an originate): the test's handle on one PJSIP channel. It talks
// (G.711 frames, paced like a SIP phone), listens (what the gateway sent that reached it), presses
// digits and hangs up; and it exposes what Asterisk did to the call (ringing, answer, playbacks...).

import type dgram from 'node:dgram';
import type { Channel, ChannelState } from '../../../src/telephony/ari/ari-types.ts';
import {
  type ChannelRecord,
  type ContinueTarget,
  channelJson,
  type EndpointSide,
  type HeardPacket,
  type PlaybackLog,
} from './asterisk-records.ts';
import type { AsteriskState } from './asterisk-state.ts';
import { nowMs } from './asterisk-time.ts';
import { FRAME_BYTES, type G711Format, silenceByte } from './g711.ts';
import { g711ToWav } from './g711-wav.ts';
import { CAUSE_NORMAL_CLEARING } from './hangup-causes.ts';
import { externalMediaHearing, sendCallerFrame } from './media-topology.ts';
import type { Scheduler } from './scheduler.ts';
import { waitUntil } from './wait-until.ts';

export interface SendAudioOptions {
  /** One frame per 20 ms (default, like a phone) or all at once. */
  realtime?: boolean;
}

export interface SendAudioResult {
  frames: number;
  /** Frames that reached at least one externalMedia channel. */
  delivered: number;
  /** Frames with no media path to the gateway (not bridged, not answered, or the call ended). */
  dropped: number;
}

interface AudioJob {
  frames: Buffer[];
  realtime: boolean;
  result: SendAudioResult;
  resolve: (r: SendAudioResult) => void;
}

export interface FakeCallDeps {
  state: AsteriskState;
  /** Timers that survive an Asterisk restart (the caller is a separate machine). */
  scheduler: Scheduler;
  realtimeDefault: boolean;
  foreignSocket: () => Promise<dgram.Socket>;
}

export class FakeCall {
  readonly channelId: string;
  #ch: ChannelRecord;
  #side: EndpointSide;
  #deps: FakeCallDeps;
  #jobs: AudioJob[] = [];
  #pumping = false;
  #nextFrameAt = 0;

  constructor(ch: ChannelRecord, deps: FakeCallDeps) {
    if (!ch.endpoint) throw new Error(`${ch.name} is not a PJSIP endpoint channel`);
    this.channelId = ch.id;
    this.#ch = ch;
    this.#side = ch.endpoint;
    this.#deps = deps;
  }

  /** The channel as ARI would show it now (the last snapshot once it is gone). */
  channel(): Channel {
    return channelJson(this.#ch);
  }

  get name(): string {
    return this.#ch.name;
  }
  get state(): ChannelState {
    return this.#ch.state;
  }
  get alive(): boolean {
    return this.#ch.alive;
  }
  get direction(): EndpointSide['direction'] {
    return this.#side.direction;
  }
  get did(): string {
    return this.#side.did;
  }
  get format(): G711Format {
    return this.#side.format;
  }
  /** 180 Ringing was sent (POST /ring) and not stopped or answered since. */
  get ringing(): boolean {
    return this.#side.ringing;
  }
  get ringCount(): number {
    return this.#side.ringCount;
  }
  /** 183 Session Progress was sent (early media). */
  get progress(): boolean {
    return this.#side.progress;
  }
  get answered(): boolean {
    return this.#side.answered;
  }
  get playbacks(): readonly PlaybackLog[] {
    return this.#side.playbacks;
  }
  get continuedTo(): ContinueTarget | undefined {
    return this.#side.continuedTo;
  }
  get redirectedTo(): string | undefined {
    return this.#side.redirectedTo;
  }
  /** DTMF strings Asterisk played to the caller (POST /dtmf). */
  get dtmfSent(): readonly string[] {
    return this.#side.dtmfSent;
  }
  /** RTP packets from the gateway that reached the caller, in arrival order. */
  get heard(): readonly HeardPacket[] {
    return this.#side.heard;
  }
  /** Gateway packets wired to this caller that it could not hear (media not yet up). */
  get unheard(): number {
    return this.#side.unheard;
  }
  get framesSent(): number {
    return this.#side.framesSent;
  }
  get framesDropped(): number {
    return this.#side.framesDropped;
  }
  get hungUpBy(): EndpointSide['hungUpBy'] {
    return this.#side.hungUpBy;
  }
  get hangupCause(): number | undefined {
    return this.#side.hungUpBy ? this.#ch.hangupCause : undefined;
  }
  /** Ids of the externalMedia channels that hear this caller right now. */
  get mediaPaths(): string[] {
    return externalMediaHearing(this.#deps.state, this.#ch).map((c) => c.id);
  }

  waitForState(state: ChannelState, timeoutMs = 2000): Promise<void> {
    return waitUntil(() => this.#ch.state === state, timeoutMs, `${this.name} to reach state ${state}`);
  }

  waitForHangup(timeoutMs = 2000): Promise<void> {
    return waitUntil(() => !this.#ch.alive, timeoutMs, `${this.name} to hang up`);
  }

  /**
   * The caller speaks: G.711 bytes in the call's format, cut into 20 ms frames (the last one
   * padded with silence). Frames go out only while a media path to the gateway exists.
   */
  sendAudio(payload: Buffer, options: SendAudioOptions = {}): Promise<SendAudioResult> {
    const frames: Buffer[] = [];
    for (let offset = 0; offset < payload.length; offset += FRAME_BYTES) {
      const frame = Buffer.alloc(FRAME_BYTES, silenceByte(this.format));
      payload.copy(frame, 0, offset, Math.min(offset + FRAME_BYTES, payload.length));
      frames.push(frame);
    }
    return new Promise((resolve) => {
      const result = { frames: frames.length, delivered: 0, dropped: 0 };
      this.#jobs.push({ frames, realtime: options.realtime ?? this.#deps.realtimeDefault, result, resolve });
      if (!this.#pumping) this.#pump();
    });
  }

  /** Sends bytes as they are towards the gateway, from the externalMedia socket or a foreign one. */
  async sendRtpRaw(buf: Buffer, options: { foreign?: boolean; viaChannelId?: string } = {}): Promise<void> {
    const viaId = options.viaChannelId ?? this.mediaPaths[0];
    const em = viaId ? this.#deps.state.findChannel(viaId) : undefined;
    if (!em?.media) throw new Error(`no externalMedia channel carries ${this.name}`);
    if (!options.foreign) {
      em.media.peer.sendRaw(buf);
      return;
    }
    const socket = await this.#deps.foreignSocket();
    await new Promise<void>((resolve) =>
      socket.send(buf, em.media?.peer.remote.port, em.media?.peer.remote.address, () => resolve()),
    );
  }

  /** The payloads the caller received, back to back (no silence for gaps). */
  heardPayloads(): Buffer {
    return Buffer.concat(this.#side.heard.map((packet) => packet.payload));
  }

  /** What the caller heard as one G.711 stream, silence filling the gaps between packets. */
  heardAudio(): Buffer {
    const packets = this.#side.heard;
    const first = packets[0];
    if (!first) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let written = 0;
    for (const p of packets) {
      const due = Math.round(((p.at - first.at) * 8000) / 1000);
      // More than a frame late means the gateway paused; the caller heard silence meanwhile.
      if (due - written > FRAME_BYTES) {
        const gap = Math.round((due - written) / FRAME_BYTES) * FRAME_BYTES;
        chunks.push(Buffer.alloc(gap, silenceByte(this.format)));
        written += gap;
      }
      chunks.push(p.payload);
      written += p.payload.length;
    }
    return Buffer.concat(chunks);
  }

  heardWav(): Buffer {
    return g711ToWav(this.heardAudio(), this.format);
  }

  /** The caller hangs up (SIP BYE). */
  hangup(): void {
    this.abortAudio();
    this.#deps.state.hangup(this.#ch, 'caller', CAUSE_NORMAL_CLEARING);
  }

  /** The caller presses a key; ChannelDtmfReceived follows when the key is released. */
  pressDigit(digit: string, durationMs = 100): Promise<void> {
    if (!/^[0-9A-D*#]$/.test(digit)) throw new Error(`not a DTMF digit: ${digit}`);
    return new Promise((resolve) => {
      this.#deps.scheduler.after(durationMs, () => {
        if (this.#ch.alive) {
          this.#deps.state.emitChannel(this.#ch, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
        }
        resolve();
      });
    });
  }

  /** Ends pending sendAudio() calls, counting their unsent frames as dropped. */
  abortAudio(): void {
    for (const job of this.#jobs.splice(0)) {
      job.result.dropped += job.frames.length;
      job.frames = [];
      job.resolve(job.result);
    }
  }

  #pump(): void {
    const job = this.#jobs[0];
    if (!job) {
      this.#pumping = false;
      return;
    }
    this.#pumping = true;
    if (!job.realtime) {
      while (job.frames.length > 0) this.#sendOne(job);
      this.#finishJob(job);
      this.#pump();
      return;
    }
    // Phones send on a steady 20 ms clock; after silence the clock restarts.
    const now = nowMs();
    if (this.#nextFrameAt < now - 20) this.#nextFrameAt = now;
    this.#sendOne(job);
    this.#nextFrameAt += 20;
    if (job.frames.length === 0) this.#finishJob(job);
    const delay = Math.max(0, this.#nextFrameAt - nowMs());
    if (this.#jobs.length === 0) {
      this.#pumping = false;
      return;
    }
    this.#deps.scheduler.after(delay, () => this.#pump());
  }

  #sendOne(job: AudioJob): void {
    const frame = job.frames.shift();
    if (!frame) return;
    if (sendCallerFrame(this.#deps.state, this.#ch, frame)) job.result.delivered++;
    else job.result.dropped++;
  }

  #finishJob(job: AudioJob): void {
    this.#jobs.shift();
    job.resolve(job.result);
  }
}
