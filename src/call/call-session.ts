// One phone call, from its StasisStart to the last resource released. While the caller still
// hears ringing, the agent for the dialled number is resolved, the caller's memory loaded, the
// Realtime session opened and configured, the media path built and the greeting requested; the
// call is answered once the greeting's first audio is buffered (or at ring.maxMs), so it plays
// from the first frame. Everything the call creates is registered in one CallResources and
// released in reverse order by end(), whatever ended the call.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { RealtimeAgentSession, RealtimeSessionError } from '../ai/realtime/realtime-agent-session.ts';
import type { ExternalMediaPort } from '../media/rtp/external-media-port.ts';
import type { RtpInboundStats } from '../media/rtp/rtp-inbound-stats.ts';
import type { RtpPacerStats } from '../media/rtp/rtp-pacer.ts';
import { RtpPacer } from '../media/rtp/rtp-pacer.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallerMemory } from '../store/call-store.ts';
import type { Channel } from '../telephony/ari/ari-types.ts';
import { trackOutcome, waitForAnswerMoment } from './answer-timing.ts';
import { type Handover, handOverCaller } from './call-handover.ts';
import { ownedId } from './call-ids.ts';
import { loadCallerMemory, summarizeForMemory, wantsMemory } from './call-memory.ts';
import { voiceSettingsFor } from './call-profile.ts';
import { CallRecorder } from './call-recorder.ts';
import { CallResources } from './call-resources.ts';
import type { CallEndReason, CallPhase, CallServices } from './call-types.ts';
import { streamCallerToModel } from './caller-stream.ts';
import type { ConversationController, ConversationEnd } from './conversation-controller.ts';
import { createConversation } from './conversation-setup.ts';
import { reportEndedCall } from './ended-call.ts';
import { EndpointTransfer, reachTransferTarget } from './endpoint-transfer.ts';
import { buildMediaPath, type MediaPath, mediaPathSettings } from './media-path.ts';
import { PlaybackWaits } from './playback-waits.ts';

export type { CallEndReason, CallPhase, CallServices };

export class CallSession {
  readonly callId: string;
  readonly callerChannelId: string;
  readonly dialled: string;
  readonly callerNumber: string;
  readonly log: Logger;
  readonly recorder: CallRecorder;
  readonly #services: CallServices;
  readonly #caller: Channel;
  readonly #resources = new CallResources();
  readonly #onEnded: (call: CallSession) => void;
  readonly #arrivedAt = performance.now();
  readonly #playbacks = new PlaybackWaits();
  #phase: CallPhase = 'preparing';
  #ending: Promise<void> | null = null;
  /** Aborted when the call starts ending, so waits of its preparation stop at once. */
  readonly #endingSignal = new AbortController();
  #callerGone = false;
  #answeredAt: Date | null = null;
  #answeredAtMs: number | null = null;
  #firstAgentFrameAt: number | null = null;
  #agentDefinition: AgentDefinition | null = null;
  #memory: CallerMemory | null = null;
  #forgotten = false;
  #port: ExternalMediaPort | null = null;
  #pacer: RtpPacer | null = null;
  #agent: RealtimeAgentSession | null = null;
  #controller: ConversationController | null = null;
  #transfer: EndpointTransfer | null = null;
  #handover: Handover | null = null;
  #memorySummary: string | null = null;

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
    this.callerNumber = caller.caller.number;
    this.#onEnded = onEnded;
    this.log = services.logger.child({ callId, channelId: caller.id });
    this.recorder = new CallRecorder({
      id: callId,
      channelId: caller.id,
      dialled: this.dialled,
      callerNumber: caller.caller.number,
      callerName: caller.caller.name,
    });
    if (caller.state === 'Up') this.#markAnswered();
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  /** Prepares while ringing, answers, starts the conversation. Never rejects: failures end the call. */
  async start(): Promise<void> {
    const { config, ari } = this.#services;
    this.log.info(
      { dialled: this.dialled, caller: this.callerNumber, state: this.#caller.state },
      'call arrived',
    );
    try {
      const { agent, matchedBy } = this.#services.agents.resolve(this.dialled);
      this.#agentDefinition = agent;
      this.log.info({ agent: agent.id, matchedBy }, 'agent chosen');
      if (this.#caller.state === 'Ring') {
        await ari.ring(this.callerChannelId).catch((error) => this.#logStepFailure('ring', error));
      }
      if (config.ring.answer === 'immediately') await this.#answer();
      this.#memory = await loadCallerMemory(this.#services.store, agent, this.callerNumber, this.log);

      const port = await this.#services.ports.open();
      this.#port = port;
      this.#resources.add('rtp port', () => port.close());
      const pacer = new RtpPacer({
        law: config.rtp.format,
        send: (packet) => port.send(packet),
        onFrameSent: this.#onAgentFrame,
        onPlayedOut: () => this.#controller?.playedOut(),
        held: this.#answeredAtMs === null,
      });
      this.#pacer = pacer;
      this.#resources.add('pacer', () => pacer.stop());
      if (this.#ending) return;

      let firstAudio!: () => void;
      const greetingBuffered = new Promise<void>((resolve) => {
        firstAudio = resolve;
      });
      const { session, ready, pooled } = this.#services.sessions.acquire(
        agent.id,
        voiceSettingsFor(agent, config, {
          now: new Date(),
          callerNumber: this.callerNumber,
          memory: this.#memory,
        }),
      );
      this.#agent = session;
      this.#resources.add('realtime session', () => session.close());
      this.#resources.add('call summary', async () => {
        this.#memorySummary = await summarizeForMemory({
          session: this.#agent,
          wanted:
            !this.#forgotten && wantsMemory(this.#services.store, this.#agentDefinition, this.callerNumber),
          recorder: this.recorder,
          timeoutMs: this.#services.config.memory.summaryTimeoutMs,
        });
      });
      const controller = this.#createController(session, pacer, agent);
      session.attach(
        {
          enqueue: (itemId, audio) => {
            firstAudio();
            pacer.enqueue(itemId, audio);
          },
          interrupt: () => pacer.interrupt(),
          playedMs: (itemId) => pacer.playedMs(itemId),
          isPlaying: () => pacer.isPlaying,
        },
        controller,
        this.log,
      );
      const greeting = agent.greeting;
      const aiReady = ready.then(() => {
        if (greeting !== null && !this.#ending) session.greet(greeting);
      });
      const aiState = trackOutcome(aiReady);
      const media = buildMediaPath(
        ari,
        this.#services.arrivals,
        this.#resources,
        mediaPathSettings(config, this.#services.ariHost),
        {
          callId: this.callId,
          callerChannelId: this.callerChannelId,
          localPort: port.port,
        },
      );
      media.catch(() => undefined);

      // With a greeting, ready means its first audio is buffered (or the AI failed: answer and fall back).
      const aiFailed = aiReady.then(
        () => new Promise<void>(() => undefined),
        () => undefined,
      );
      const trigger = await waitForAnswerMoment(
        greeting !== null ? Promise.race([greetingBuffered, aiFailed]) : aiReady,
        this.#arrivedAt,
        config.ring,
        this.#endingSignal.signal,
      );
      if (this.#ending) return;
      const mediaPath = await media.catch((error: unknown) => error as Error);
      if (mediaPath instanceof Error) return void this.end('media_failed', mediaPath);
      const aiFailure = aiState.failure();
      if (aiFailure !== null) return void this.end('ai_unavailable', aiFailure);
      await this.#answerAndConnect(mediaPath, port, session, pacer, controller);
      this.log.info(
        {
          preparedMs: Math.round((this.#answeredAtMs ?? 0) - this.#arrivedAt),
          trigger,
          pooled,
          rtpPeer: mediaPath.peer,
        },
        'call answered',
      );
      await aiReady.catch((error: unknown) => this.end('ai_unavailable', error));
    } catch (error) {
      await this.end('setup_failed', error);
    }
  }

  /** The caller hung up or left the app. */
  callerLeft(): void {
    this.#callerGone = true;
    this.#playbacks.wakeAll();
    this.#transfer?.cancel('the caller hung up');
    void this.end('caller_hangup');
  }

  /** A bridge or channel of ours vanished while the call was up. */
  mediaResourceLost(what: string): void {
    if (this.#ending) return;
    void this.end('media_lost', new Error(`${what} disappeared`));
  }

  /** The endpoint we were transferring to hung up or could not be reached. */
  transferTargetGone(cause: number | undefined): void {
    this.#transfer?.targetGone(cause);
  }

  playbackFinished(playbackId: string): void {
    this.#playbacks.finished(playbackId);
  }

  keypad(digit: string): void {
    this.#controller?.keypad(digit);
  }

  /** Shutdown: an answered call gets the agent's goodbye first (at most `timeoutMs`), then ends. */
  async endPolitely(timeoutMs: number): Promise<void> {
    const controller = this.#controller;
    if (this.#phase === 'answered' && controller !== null && !this.#ending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        controller.goodbye(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.end('shutdown');
  }

  /** Ends the call: releases everything it created, then deals with the caller. Idempotent. */
  end(reason: CallEndReason, cause?: unknown): Promise<void> {
    if (this.#ending === null) {
      this.#ending = this.#finish(reason, cause);
      this.#endingSignal.abort();
    }
    return this.#ending;
  }

  async #answer(): Promise<void> {
    if (this.#answeredAtMs !== null) return;
    await this.#services.ari.answer(this.callerChannelId);
    this.#markAnswered();
  }

  #markAnswered(): void {
    this.#answeredAt = new Date();
    this.#answeredAtMs = performance.now();
  }

  async #answerAndConnect(
    media: MediaPath,
    port: ExternalMediaPort,
    agent: RealtimeAgentSession,
    pacer: RtpPacer,
    controller: ConversationController,
  ): Promise<void> {
    const { ari } = this.#services;
    port.setPeer(media.peer);
    await this.#answer();
    if (this.#ending) return;
    if (media.snoopId === null) {
      await ari.addToBridge(media.bridgeId, [this.callerChannelId]);
    } else {
      // A whisper is mixed into frames written to the caller; an idle caller channel writes none.
      await ari.startSilence(this.callerChannelId);
    }
    if (this.#ending) return;
    pacer.release();
    const filler = streamCallerToModel(port, agent, this.#services.config);
    this.#resources.add('caller silence filler', () => filler.stop());
    this.#resources.add('conversation timers', () => controller.stop());
    controller.start();
    this.#phase = 'answered';
  }

  #createController(
    session: RealtimeAgentSession,
    pacer: RtpPacer,
    agent: AgentDefinition,
  ): ConversationController {
    const controller = createConversation({
      services: this.#services,
      call: { callId: this.callId, callerNumber: this.callerNumber, recorder: this.recorder, log: this.log },
      session,
      pacer,
      agent,
      forgotten: () => {
        this.#forgotten = true;
      },
      actions: {
        end: (reason: ConversationEnd) => void this.end(reason),
        transfer: (target) => this.#transferTo(agent, target),
        failed: (error: RealtimeSessionError) => void this.end('ai_failed', error),
      },
    });
    this.#controller = controller;
    return controller;
  }

  /** Transfers now; resolves with why it failed, or null once the call is handed over. */
  async #transferTo(agent: AgentDefinition, name: string): Promise<string | null> {
    const { ari, arrivals, config } = this.#services;
    const dial = new EndpointTransfer({
      ari,
      arrivals,
      resources: this.#resources,
      app: config.ari.app,
      callId: this.callId,
      callerId: `"${this.#caller.caller.name}" <${this.callerNumber}>`,
      log: this.log,
    });
    this.#transfer = dial;
    const outcome = await reachTransferTarget(agent.transferTargets[name], dial, config.ari.app, this.callId);
    this.#transfer = null;
    if ('failure' in outcome) return outcome.failure;
    this.#handover = outcome.handover;
    void this.end('transferred');
    return null;
  }

  readonly #onAgentFrame = (lateMs: number): void => {
    this.#services.metrics.outboundLateness.observe(lateMs);
    if (this.#firstAgentFrameAt !== null) return;
    this.#firstAgentFrameAt = performance.now();
    if (this.#answeredAtMs !== null) {
      const afterAnswerMs = this.#firstAgentFrameAt - this.#answeredAtMs;
      this.#services.metrics.answerToGreeting.observe(afterAnswerMs);
      this.log.info({ afterAnswerMs: Math.round(afterAnswerMs) }, 'first agent audio sent');
    }
  };

  /** The call's live RTP counters, for /metrics. */
  get rtpStats(): { inbound: RtpInboundStats | null; outbound: RtpPacerStats | null } {
    return { inbound: this.#port?.stats ?? null, outbound: this.#pacer?.stats ?? null };
  }

  async #finish(reason: CallEndReason, cause: unknown): Promise<void> {
    this.#phase = 'ending';
    if (cause !== undefined) {
      this.log.warn({ reason, cause: cause instanceof Error ? cause.message : String(cause) }, 'ending call');
    }
    const report = await this.#resources.releaseAll();
    let callerOutcome = 'gone';
    if (!this.#callerGone) {
      callerOutcome = await handOverCaller(reason, this.#handover, this.#handoverContext()).catch(
        (error: unknown) => {
          this.#logStepFailure('caller teardown', error);
          return 'teardown_failed';
        },
      );
    }
    this.#phase = 'ended';
    await reportEndedCall(
      this.#services,
      this.log,
      {
        reason,
        callerOutcome,
        report,
        arrivedAt: this.#arrivedAt,
        answeredAt: this.#answeredAtMs,
        firstAgentFrameAt: this.#firstAgentFrameAt,
        inbound: this.#port?.stats ?? null,
        outbound: this.#pacer?.stats ?? null,
        conversation: this.#agent?.stats ?? null,
        agentId: this.#agentDefinition?.id ?? null,
      },
      {
        recorder: this.recorder,
        agent: this.#agentDefinition,
        callerNumber: this.callerNumber,
        rememberCaller: !this.#forgotten,
        memorySummary: this.#memorySummary,
        answeredAt: this.#answeredAt,
      },
    );
    this.#onEnded(this);
  }

  #handoverContext() {
    const { ari, config, transfers } = this.#services;
    return {
      ari,
      callerChannelId: this.callerChannelId,
      answered: this.#answeredAtMs !== null,
      playbackId: ownedId(config.ari.app, 'pb', this.callId, this.#playbacks.next()),
      waitForPlayback: (id: string, timeoutMs: number) => this.#playbacks.wait(id, timeoutMs),
      fallback: config.failure,
      log: this.log,
      transfers,
    };
  }

  #logStepFailure(step: string, error: unknown): void {
    this.log.warn(
      { step, cause: error instanceof Error ? error.message : String(error) },
      'call step failed',
    );
  }
}
