// A fake Asterisk 22 for tests: ARI REST + events WebSocket on 127.0.0.1, UDP RTP for
// externalMedia channels, and a test API to place calls, talk, listen and make things go wrong.
//
//   const asterisk = await FakeAsterisk.start();
//   const call = await asterisk.placeCall({ did: '1000' });   // needs an app connected
//   ...
//   await asterisk.stop();                                    // nothing left running

import dgram from 'node:dgram';
import type { Bridge, Channel } from '../../../src/telephony/ari/ari-types.ts';
import type { Interception, RequestRecord } from './ari-http.ts';
import { AriRestServer } from './ari-rest-server.ts';
import {
  bridgeJson,
  type ChannelRecord,
  channelJson,
  newChannelRecord,
  newEndpointSide,
} from './asterisk-records.ts';
import { AsteriskState } from './asterisk-state.ts';
import { nowMs } from './asterisk-time.ts';
import { bridgeHandlers } from './bridge-handlers.ts';
import { channelFactoryHandlers } from './channel-factory.ts';
import { channelHandlers } from './channel-handlers.ts';
import { EventRouter, type SentEvent } from './event-router.ts';
import { EventSocketServer } from './event-socket.ts';
import { FakeCall } from './fake-call.ts';
import type { G711Format } from './g711.ts';
import type { HandlerContext, HandlerTiming, OriginateOutcome } from './handler-context.ts';
import { infoHandlers } from './info-handlers.ts';
import { unknownMediaScheme } from './playback-engine.ts';
import { Scheduler } from './scheduler.ts';
import { waitUntil } from './wait-until.ts';

export type { RequestRecord } from './ari-http.ts';
export type { ContinueTarget, HeardPacket, PlaybackLog } from './asterisk-records.ts';
export type { SentEvent } from './event-router.ts';
export type { FakeCall, SendAudioOptions, SendAudioResult } from './fake-call.ts';
export type { G711Format } from './g711.ts';
export type { OriginateOutcome } from './handler-context.ts';

export interface FakeAsteriskOptions extends Partial<HandlerTiming> {
  username?: string;
  password?: string;
  asteriskId?: string;
  /** How long a playback lasts per media URI (default 50 ms). */
  playbackDurationMs?: number | ((mediaUri: string) => number);
  /** Media URIs that end in PlaybackFinished state `failed` (default: unknown URI schemes). */
  playbackFails?: (mediaUri: string) => boolean;
  /** A snoop hangs up this long after the channel it snoops on is gone (default 20 ms). */
  snoopHangupDelayMs?: number;
  /** sendAudio() pacing when not given per call: true = one frame per 20 ms (default). */
  realtimeAudio?: boolean;
  /** Sequential packets a new RTP source must send before it is accepted (default 4, ~80 ms). */
  strictRtpProbation?: number;
  /** What the far end of an originate does (default: answers). */
  originateOutcome?: (endpoint: string) => OriginateOutcome;
}

export interface PlaceCallOptions {
  did: string;
  callerNumber?: string;
  callerName?: string;
  /** The Stasis application the dialplan sends the call to (default `callbridge`). */
  app?: string;
  format?: G711Format;
  /** The PJSIP endpoint the call arrives on (default `trunk`). */
  trunk?: string;
  context?: string;
}

export interface DeclinedCall {
  did: string;
  callerNumber: string;
  app: string;
  at: number;
  sipStatus: 603;
}

/** placeCall() rejects with this when no client has the app registered: the caller got 603 Decline. */
export class CallDeclinedError extends Error {
  readonly sipStatus = 603;
  readonly declined: DeclinedCall;

  constructor(declined: DeclinedCall) {
    super(`call to ${declined.did} declined (603): no client is subscribed to Stasis app '${declined.app}'`);
    this.declined = declined;
  }
}

export interface ExternalMediaInfo {
  channelId: string;
  name: string;
  externalHost: string;
  format: G711Format;
  local: { address: string; port: number };
  ssrc: number;
  inStasis: boolean;
  bridgeId: string | undefined;
  stats: {
    sent: number;
    received: number;
    invalid: number;
    rejectedSource: number;
    unheard: number;
    wrongPayloadType: number;
  };
}

export interface RequestMatch {
  method?: string;
  path: string | RegExp;
}

const DEFAULT_TIMING: HandlerTiming = {
  externalMediaStasisStartDelayMs: 5,
  snoopStasisStartDelayMs: 1,
  originateAnswerDelayMs: 20,
  redirectHangupDelayMs: 20,
  commandDelayMs: 1,
};

export class FakeAsterisk {
  readonly username: string;
  readonly password: string;
  readonly asteriskId: string;
  readonly declinedCalls: DeclinedCall[] = [];
  #options: FakeAsteriskOptions;
  #events: EventSocketServer;
  #router: EventRouter;
  #state: AsteriskState;
  #rest: AriRestServer;
  #scheduler = new Scheduler();
  #calls = new Map<string, FakeCall>();
  #foreign: Promise<dgram.Socket> | undefined;
  #startedAt = Date.now();
  #protocolCounter = 0;

  private constructor(options: FakeAsteriskOptions) {
    this.#options = options;
    this.username = options.username ?? 'callbridge';
    this.password = options.password ?? 'secret';
    this.asteriskId = options.asteriskId ?? '02:fc:00:00:00:01';
    this.#events = new EventSocketServer(this.asteriskId);
    this.#router = new EventRouter(this.#events, this.asteriskId);
    this.#events.onSent = (event) => this.#router.sent.push(event);
    this.#state = new AsteriskState({
      router: this.#router,
      isRegistered: (app) => this.#events.isRegistered(app),
      snoopHangupDelayMs: options.snoopHangupDelayMs ?? 20,
      playback: {
        durationMs: options.playbackDurationMs ?? 50,
        fails: options.playbackFails ?? unknownMediaScheme,
      },
    });
    const ctx: HandlerContext = {
      state: this.#state,
      events: this.#events,
      asteriskId: this.asteriskId,
      startedAt: () => this.#startedAt,
      timing: { ...DEFAULT_TIMING, ...definedTiming(options) },
      strictRtpProbation: options.strictRtpProbation ?? 4,
      originateOutcome: options.originateOutcome ?? (() => 'answer'),
      onEndpointCreated: (ch) => this.#track(ch),
    };
    const handlers = new Map(
      Object.entries({
        ...channelHandlers(ctx),
        ...channelFactoryHandlers(ctx),
        ...bridgeHandlers(ctx),
        ...infoHandlers(ctx),
      }),
    );
    this.#rest = new AriRestServer({
      username: this.username,
      password: this.password,
      handlers,
      events: this.#events,
      scheduler: this.#scheduler,
    });
  }

  static async start(options: FakeAsteriskOptions = {}): Promise<FakeAsterisk> {
    const asterisk = new FakeAsterisk(options);
    await asterisk.#rest.listen(0);
    return asterisk;
  }

  /** The daemon's ARI_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.#rest.port}`;
  }

  get port(): number {
    return this.#rest.port;
  }

  /** Every REST request (and events WebSocket upgrade) answered, in order. */
  get requests(): readonly RequestRecord[] {
    return this.#rest.requests;
  }

  /** Every event sent to a client, in order, with the `application` it was sent to. */
  get events(): readonly SentEvent[] {
    return this.#router.sent;
  }

  /** Apps with a connected events WebSocket. */
  registeredApps(): string[] {
    return this.#events.registeredApps();
  }

  get eventSocketCount(): number {
    return this.#events.connectionCount;
  }

  /** An inbound call from the trunk into `Stasis(app,${EXTEN})`, in state Ring. */
  async placeCall(options: PlaceCallOptions): Promise<FakeCall> {
    const app = options.app ?? 'callbridge';
    const callerNumber = options.callerNumber ?? '+15551234567';
    if (!this.#events.isRegistered(app)) {
      const declined: DeclinedCall = { did: options.did, callerNumber, app, at: nowMs(), sipStatus: 603 };
      this.declinedCalls.push(declined);
      throw new CallDeclinedError(declined);
    }
    const state = this.#state;
    const ch = newChannelRecord({
      id: state.naming.uniqueId(),
      name: `PJSIP/${options.trunk ?? 'trunk'}-${state.naming.sequence('PJSIP')}`,
      kind: 'endpoint',
      tech: 'PJSIP',
      state: 'Ring',
      protocolId: `${++this.#protocolCounter}-${process.pid}@127.0.0.1`,
      caller: { name: options.callerName ?? 'Test Caller', number: callerNumber },
      dialplan: {
        context: options.context ?? 'from-trunk',
        exten: options.did,
        priority: 2,
        app_name: '',
        app_data: '',
      },
      endpoint: newEndpointSide('inbound', options.did, options.format ?? 'ulaw'),
    });
    state.addChannel(ch);
    const call = this.#track(ch);
    state.enterStasis(ch, app, [options.did]);
    return call;
  }

  /** The FakeCall of a PJSIP channel (inbound or originated). */
  call(channelId: string): FakeCall | undefined {
    return this.#calls.get(channelId);
  }

  calls(): FakeCall[] {
    return [...this.#calls.values()];
  }

  channels(): Channel[] {
    return [...this.#state.channels.values()].filter((c) => c.alive).map((c) => channelJson(c));
  }

  bridges(): Bridge[] {
    return [...this.#state.bridges.values()].filter((b) => b.alive).map(bridgeJson);
  }

  externalMedia(): ExternalMediaInfo[] {
    return [...this.#state.channels.values()].flatMap((c) =>
      c.alive && c.media
        ? [
            {
              channelId: c.id,
              name: c.name,
              externalHost: c.media.externalHost,
              format: c.media.format,
              local: c.media.peer.local,
              ssrc: c.media.peer.ssrc,
              inStasis: c.stasisApp !== undefined,
              bridgeId: c.bridgeId,
              stats: {
                ...c.media.peer.stats,
                unheard: c.media.unheard,
                wrongPayloadType: c.media.wrongPayloadType,
              },
            },
          ]
        : [],
    );
  }

  /** The next matching request is answered `status` with `{"message": message}`, once. */
  failNext(match: RequestMatch, status: number, message = 'Internal Server Error'): void {
    this.#rest.intercept({ ...match, status, message } satisfies Interception);
  }

  /** The next matching request is handled `delayMs` late, once. */
  delayNext(match: RequestMatch, delayMs: number): void {
    this.#rest.intercept({ ...match, delayMs });
  }

  waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
    return waitUntil(condition, timeoutMs);
  }

  /** Waits for an event sent to a client that satisfies `predicate`, including earlier ones. */
  async waitForEvent(predicate: (e: SentEvent) => boolean, timeoutMs = 2000): Promise<SentEvent> {
    await waitUntil(() => this.#router.sent.some(predicate), timeoutMs, 'an ARI event');
    return this.#router.sent.find(predicate) as SentEvent;
  }

  /** Closes every events WebSocket abruptly (no close frame). */
  dropEventSockets(): void {
    this.#events.dropAll();
  }

  /** Sends arbitrary text to every events WebSocket; returns how many received it. */
  sendRawEvent(text: string): number {
    return this.#events.sendRaw(text);
  }

  /**
   * Asterisk restarts: sockets drop, every channel and bridge is forgotten without events,
   * connections are refused for `downMs`, then it accepts again on the same port.
   */
  async restart(options: { downMs?: number } = {}): Promise<void> {
    this.#events.dropAll();
    await this.#rest.close();
    for (const call of this.#calls.values()) call.abortAudio();
    this.#state.forgetAll();
    await this.#state.settle();
    await this.#scheduler.sleep(options.downMs ?? 200);
    // The port is ours again unless another process grabbed it meanwhile; retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#rest.listen(this.#rest.port);
        break;
      } catch (err) {
        if (attempt >= 10) throw err;
        await this.#scheduler.sleep(20);
      }
    }
    this.#startedAt = Date.now();
  }

  async stop(): Promise<void> {
    for (const call of this.#calls.values()) call.abortAudio();
    // Upgraded sockets keep the HTTP server open, so the WebSockets go first.
    await this.#events.close();
    await this.#rest.close();
    this.#state.forgetAll();
    await this.#state.settle();
    this.#scheduler.clear();
    const foreign = this.#foreign;
    this.#foreign = undefined;
    if (foreign) {
      const socket = await foreign;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  }

  #track(ch: ChannelRecord): FakeCall {
    const call = new FakeCall(ch, {
      state: this.#state,
      scheduler: this.#scheduler,
      realtimeDefault: this.#options.realtimeAudio ?? true,
      foreignSocket: () => this.#foreignSocket(),
    });
    this.#calls.set(ch.id, call);
    return call;
  }

  #foreignSocket(): Promise<dgram.Socket> {
    this.#foreign ??= new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.on('error', () => {});
        resolve(socket);
      });
    });
    return this.#foreign;
  }
}

function definedTiming(options: FakeAsteriskOptions): Partial<HandlerTiming> {
  const timing: Partial<HandlerTiming> = {};
  for (const key of Object.keys(DEFAULT_TIMING) as (keyof HandlerTiming)[]) {
    const value = options[key];
    if (value !== undefined) timing[key] = value;
  }
  return timing;
}
