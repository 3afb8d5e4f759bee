// One phone call, from its StasisStart to the last resource released. While the caller still
// hears ringing, the Realtime session and the media path are prepared in parallel; then the
// call is answered, the caller's frames stream to the model and the model's audio streams back.
// Everything the call creates is registered in one CallResources and released in reverse
// order by end(), whatever ended the call.
import { RealtimeAgentSession, type RealtimeSessionError } from '../ai/realtime/realtime-agent-session.ts';
import type { Config } from '../config/load-config.ts';
import { CallerSilenceFiller } from '../media/caller-silence-filler.ts';
import type { ExternalMediaPort } from '../media/rtp/external-media-port.ts';
import { totalDropped } from '../media/rtp/rtp-inbound-stats.ts';
import { RtpPacer } from '../media/rtp/rtp-pacer.ts';
import type { RtpPortPool } from '../media/rtp/rtp-port-pool.ts';
import type { Logger } from '../observability/logger.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { Channel } from '../telephony/ari/ari-types.ts';
import { runFallback } from './call-fallback.ts';
import { ownedId } from './call-ids.ts';
import { CallResources, type ReleaseReport } from './call-resources.ts';
import type { ChannelArrivals } from './channel-arrivals.ts';
import { buildMediaPath, type MediaPath } from './media-path.ts';

export interface CallServices {
  config: Config;
  ari: AriRest;
  arrivals: ChannelArrivals;
  ports: RtpPortPool;
  logger: Logger;
  /** Host of ARI_URL, used when Asterisk reports a wildcard RTP address. */
  ariHost: string;
}

export type CallEndReason =
  | 'caller_hangup'
  | 'ai_unavailable'
  | 'ai_failed'
  | 'media_failed'
  | 'media_lost'
  | 'setup_failed'
  | 'shutdown';

export type CallPhase = 'preparing' | 'answered' | 'ending' | 'ended';

export class CallSession {
  readonly callId: string;
  readonly callerChannelId: string;
  readonly dialled: string;
  readonly log: Logger;
  readonly #services: CallServices;
  readonly #caller: Channel;
  readonly #resources = new CallResources();
  readonly #onEnded: (call: CallSession) => void;
  readonly #arrivedAt = performance.now();
  readonly #playbackWaiters = new Map<string, () => void>();
  #phase: CallPhase = 'preparing';
  #ending: Promise<void> | null = null;
  #callerGone = false;
  #answered: boolean;
  #answeredAt: number | null = null;
  #firstAgentFrameAt: number | null = null;
  #port: ExternalMediaPort | null = null;
  #pacer: RtpPacer | null = null;
  #agent: RealtimeAgentSession | null = null;
  #playbacks = 0;

  constructor(
    services: CallServices,
    callId: string,
    caller: Channel,
    args: readonly string[],
    onEnded: (call: CallSession) => void,
  ) {
    this.#services = services;
    this.callId = callId;
    this.#caller = caller;
    this.callerChannelId = caller.id;
    this.dialled = args[0] ?? caller.dialplan.exten;
    this.#answered = caller.state === 'Up';
    this.#onEnded = onEnded;
    this.log = services.logger.child({ callId, channelId: caller.id });
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  get bridgeId(): string {
    return ownedId(this.#services.config.ari.app, 'br', this.callId);
  }

  /** Prepares, answers and starts the conversation. Never rejects: failures end the call. */
  async start(): Promise<void> {
    const { config, ari } = this.#services;
    this.log.info(
      { dialled: this.dialled, caller: this.#caller.caller.number, state: this.#caller.state },
      'call arrived',
    );
    try {
      const port = await this.#services.ports.open();
      this.#port = port;
      this.#resources.add('rtp port', () => port.close());
      if (this.#ending) return;

      const pacer = new RtpPacer({
        law: config.rtp.format,
        send: (packet) => port.send(packet),
        onFrameSent: this.#onAgentFrame,
      });
      this.#pacer = pacer;
      this.#resources.add('pacer', () => pacer.stop());

      if (this.#caller.state === 'Ring')
        await ari.ring(this.callerChannelId).catch((error) => this.#logStepFailure('ring', error));
      if (this.#ending) return;

      const agent = this.#createAgent(pacer);
      const [ai, media] = await Promise.allSettled([
        agent.open(config.openai.connectTimeoutMs),
        buildMediaPath(ari, this.#services.arrivals, this.#resources, this.#mediaSettings(), {
          callId: this.callId,
          callerChannelId: this.callerChannelId,
          localPort: port.port,
        }),
      ]);
      if (this.#ending) return;
      if (media.status === 'rejected') return void this.end('media_failed', media.reason);
      if (ai.status === 'rejected') return void this.end('ai_unavailable', ai.reason);
      await this.#answerAndConnect(media.value, port, agent);
    } catch (error) {
      await this.end('setup_failed', error);
    }
  }

  /** The caller hung up or left the app. */
  callerLeft(): void {
    this.#callerGone = true;
    for (const wake of this.#playbackWaiters.values()) wake();
    void this.end('caller_hangup');
  }

  /** A bridge or channel of ours vanished while the call was up. */
  mediaResourceLost(what: string): void {
    if (this.#ending) return;
    void this.end('media_lost', new Error(`${what} disappeared`));
  }

  playbackFinished(playbackId: string): void {
    this.#playbackWaiters.get(playbackId)?.();
  }

  /** Ends the call: releases everything it created, then deals with the caller. Idempotent. */
  end(reason: CallEndReason, cause?: unknown): Promise<void> {
    this.#ending ??= this.#finish(reason, cause);
    return this.#ending;
  }

  #createAgent(pacer: RtpPacer): RealtimeAgentSession {
    const { config } = this.#services;
    const agent = new RealtimeAgentSession({
      endpoint: {
        baseUrl: config.openai.baseUrl,
        model: config.openai.model,
        apiKey: config.openai.apiKey,
        authStyle: config.openai.authStyle,
      },
      voice: {
        law: config.rtp.format,
        model: config.openai.model,
        voice: config.openai.voice,
        instructions: config.openai.instructions,
        inputTranscriptionModel: config.openai.inputTranscriptionModel,
        vad: config.openai.vad,
      },
      output: pacer,
      logger: this.log,
      onFailure: (error: RealtimeSessionError) => void this.end('ai_failed', error),
    });
    this.#agent = agent;
    this.#resources.add('realtime session', () => agent.close());
    return agent;
  }

  async #answerAndConnect(
    media: MediaPath,
    port: ExternalMediaPort,
    agent: RealtimeAgentSession,
  ): Promise<void> {
    const { config, ari } = this.#services;
    port.setPeer(media.peer);
    if (!this.#answered) {
      await ari.answer(this.callerChannelId);
      this.#answered = true;
    }
    this.#answeredAt = performance.now();
    if (this.#ending) return;
    if (media.snoopId === null) {
      await ari.addToBridge(media.bridgeId, [this.callerChannelId]);
    } else {
      // A whisper is mixed into frames written to the caller; an idle caller channel writes none.
      await ari.startSilence(this.callerChannelId);
    }
    if (this.#ending) return;

    const filler = new CallerSilenceFiller({
      law: config.rtp.format,
      fillAfterMs: config.rtp.silenceFillAfterMs,
      sendBase64Frame: (base64) => agent.appendCallerAudioBase64(base64),
    });
    this.#resources.add('caller silence filler', () => filler.stop());
    port.onPayload((payload) => {
      agent.appendCallerAudio(payload);
      filler.noteCallerAudio();
    });
    filler.start();
    this.#phase = 'answered';
    this.log.info(
      {
        preparedMs: Math.round(this.#answeredAt - this.#arrivedAt),
        rtpPeer: media.peer,
        localPort: port.port,
      },
      'call answered',
    );
    if (config.greeting.enabled) agent.greet(config.greeting.instructions);
  }

  readonly #onAgentFrame = (): void => {
    if (this.#firstAgentFrameAt !== null) return;
    this.#firstAgentFrameAt = performance.now();
    if (this.#answeredAt !== null) {
      this.log.info(
        { afterAnswerMs: Math.round(this.#firstAgentFrameAt - this.#answeredAt) },
        'first agent audio sent',
      );
    }
  };

  async #finish(reason: CallEndReason, cause: unknown): Promise<void> {
    const wasAnswered = this.#phase === 'answered';
    this.#phase = 'ending';
    if (cause !== undefined) {
      this.log.warn({ reason, cause: cause instanceof Error ? cause.message : String(cause) }, 'ending call');
    }
    const report = await this.#resources.releaseAll();
    let callerOutcome = 'gone';
    if (!this.#callerGone) {
      callerOutcome = await this.#endForCaller(reason, wasAnswered).catch((error: unknown) => {
        this.#logStepFailure('caller teardown', error);
        return 'teardown_failed';
      });
    }
    this.#phase = 'ended';
    this.log.info(this.#summary(reason, callerOutcome, report), 'call ended');
    this.#onEnded(this);
  }

  async #endForCaller(reason: CallEndReason, wasAnswered: boolean): Promise<string> {
    const { ari, config } = this.#services;
    const playbackId = ownedId(config.ari.app, 'pb', this.callId, ++this.#playbacks);
    return runFallback(
      {
        ari,
        callerChannelId: this.callerChannelId,
        answered: this.#answered || wasAnswered,
        playbackId,
        waitForPlayback: (id, timeoutMs) => this.#waitForPlayback(id, timeoutMs),
        log: this.log,
      },
      config.failure,
      { playSound: reason !== 'shutdown' },
    );
  }

  #waitForPlayback(playbackId: string, timeoutMs: number): Promise<void> {
    if (this.#callerGone) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.#playbackWaiters;
      function done(): void {
        clearTimeout(timer);
        waiters.delete(playbackId);
        resolve();
      }
      waiters.set(playbackId, done);
    });
  }

  #mediaSettings() {
    const { config, ariHost } = this.#services;
    return {
      app: config.ari.app,
      topology: config.media.topology,
      format: config.rtp.format,
      advertiseHost: config.rtp.advertiseHost,
      asteriskHost: config.rtp.asteriskHost,
      ariHost,
      stasisStartTimeoutMs: config.ari.stasisStartTimeoutMs,
    };
  }

  #summary(reason: CallEndReason, callerOutcome: string, report: ReleaseReport): Record<string, unknown> {
    const inbound = this.#port?.stats;
    const conversation = this.#agent?.stats;
    return {
      reason,
      callerOutcome,
      durationMs: Math.round(performance.now() - this.#arrivedAt),
      greetingFirstAudioMs:
        this.#firstAgentFrameAt !== null && this.#answeredAt !== null
          ? Math.round(this.#firstAgentFrameAt - this.#answeredAt)
          : null,
      rtpIn: inbound && {
        received: inbound.received,
        forwarded: inbound.forwarded,
        dropped: totalDropped(inbound),
        lost: inbound.lost,
        ...(totalDropped(inbound) > 0 ? { droppedBy: inbound.dropped } : {}),
      },
      rtpOut: this.#pacer?.stats,
      conversation: conversation && {
        callerTurns: conversation.callerTurns,
        responses: conversation.responses,
        bargeIns: conversation.bargeIns,
        framesAppended: conversation.framesAppended,
        turnLatenciesMs: conversation.turnLatenciesMs.map(Math.round),
        usage: conversation.usage,
        errorEvents: conversation.errorEvents,
      },
      released: report.released,
      releaseFailures: report.failed,
    };
  }

  #logStepFailure(step: string, error: unknown): void {
    this.log.warn(
      { step, cause: error instanceof Error ? error.message : String(error) },
      'call step failed',
    );
  }
}
