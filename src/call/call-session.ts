// One phone call, from its StasisStart to the last resource released. While the caller still
// hears ringing, the agent for the dialled number is resolved, the caller's memory loaded, the
// Realtime session opened and configured, the media path built and the greeting requested; the
// call is answered once the greeting's first audio is buffered (or at ring.maxMs), so it plays
// from the first frame. Everything the call creates is registered in one CallResources and
// released in reverse order by end(), whatever ended the call.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { RealtimeAgentSession, RealtimeSessionError } from '../ai/realtime/realtime-agent-session.ts';
import type { RealtimeSessionSource } from '../ai/realtime/realtime-session-pool.ts';
import type { Config } from '../config/load-config.ts';
import { CallerSilenceFiller } from '../media/caller-silence-filler.ts';
import type { ExternalMediaPort } from '../media/rtp/external-media-port.ts';
import { RtpPacer } from '../media/rtp/rtp-pacer.ts';
import type { RtpPortPool } from '../media/rtp/rtp-port-pool.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallerMemory, CallStore } from '../store/call-store.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { Channel } from '../telephony/ari/ari-types.ts';
import { waitForAnswerMoment } from './answer-timing.ts';
import { type Handover, handOverCaller, type TransferRegistry } from './call-handover.ts';
import { ownedId } from './call-ids.ts';
import { finishRecord, summarizeForMemory } from './call-memory.ts';
import { voiceSettingsFor } from './call-profile.ts';
import { CallRecorder } from './call-recorder.ts';
import { CallResources } from './call-resources.ts';
import { callSummary } from './call-summary.ts';
import type { ChannelArrivals } from './channel-arrivals.ts';
import { ConversationController, type ConversationEnd } from './conversation-controller.ts';
import { EndpointTransfer } from './endpoint-transfer.ts';
import { buildMediaPath, type MediaPath } from './media-path.ts';
import { ToolRunner } from './tool-runner.ts';

export interface CallServices {
  config: Config;
  ari: AriRest;
  arrivals: ChannelArrivals;
  ports: RtpPortPool;
  logger: Logger;
  /** Host of ARI_URL, used when Asterisk reports a wildcard RTP address. */
  ariHost: string;
  agents: { resolve(dialled: string): { agent: AgentDefinition; matchedBy: string } };
  store: CallStore | null;
  sessions: RealtimeSessionSource;
  transfers: TransferRegistry;
  env: Readonly<Record<string, string | undefined>>;
}

export type CallEndReason =
  | 'caller_hangup'
  | 'agent_ended'
  | 'max_duration'
  | 'caller_idle'
  | 'transferred'
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
  readonly callerNumber: string;
  readonly log: Logger;
  readonly recorder: CallRecorder;
  readonly #services: CallServices;
  readonly #caller: Channel;
  readonly #resources = new CallResources();
  readonly #onEnded: (call: CallSession) => void;
  readonly #arrivedAt = performance.now();
  readonly #playbackWaiters = new Map<string, () => void>();
  #phase: CallPhase = 'preparing';
  #ending: Promise<void> | null = null;
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
      this.#memory = await this.#loadMemory(agent);

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
        this.#memorySummary = await summarizeForMemory(this.#summaryInputs());
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
        },
        controller,
        this.log,
      );
      const greeting = agent.greeting;
      const aiReady = ready.then(() => {
        if (greeting !== null && !this.#ending) session.greet(greeting);
      });
      const aiState = track(aiReady);
      const media = buildMediaPath(ari, this.#services.arrivals, this.#resources, this.#mediaSettings(), {
        callId: this.callId,
        callerChannelId: this.callerChannelId,
        localPort: port.port,
      });
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
    for (const wake of this.#playbackWaiters.values()) wake();
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
    this.#playbackWaiters.get(playbackId)?.();
  }

  keypad(digit: string): void {
    this.#controller?.keypad(digit);
  }

  /** Ends the call: releases everything it created, then deals with the caller. Idempotent. */
  end(reason: CallEndReason, cause?: unknown): Promise<void> {
    this.#ending ??= this.#finish(reason, cause);
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
    const { config, ari } = this.#services;
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
    const filler = new CallerSilenceFiller({
      law: config.rtp.format,
      fillAfterMs: config.rtp.silenceFillAfterMs,
      sendBase64Frame: (base64) => agent.appendCallerAudioBase64(base64),
    });
    this.#resources.add('caller silence filler', () => filler.stop());
    this.#resources.add('conversation timers', () => controller.stop());
    port.onPayload((payload) => {
      agent.appendCallerAudio(payload);
      filler.noteCallerAudio();
    });
    filler.start();
    controller.start();
    this.#phase = 'answered';
  }

  #createController(
    session: RealtimeAgentSession,
    pacer: RtpPacer,
    agent: AgentDefinition,
  ): ConversationController {
    const { config, store, env } = this.#services;
    const tools = new ToolRunner({
      callId: this.callId,
      callerNumber: this.callerNumber,
      recorder: this.recorder,
      log: this.log,
      forgetCaller:
        store === null || !this.callerNumber
          ? null
          : async () => {
              this.#forgotten = true;
              const outcome = await store.forgetCaller(agent.id, this.callerNumber);
              this.log.info(outcome, 'caller asked to be forgotten; memory erased');
            },
      webhooks: { env, allowHttpHosts: config.tools.allowHttpHosts },
    });
    const controller = new ConversationController({
      agent: session,
      pacer,
      definition: agent,
      recorder: this.recorder,
      tools,
      log: this.log,
      actions: {
        end: (reason: ConversationEnd) => void this.end(reason),
        transfer: (target) => this.#startTransfer(agent, target),
        failed: (error: RealtimeSessionError) => void this.end('ai_failed', error),
      },
    });
    this.#controller = controller;
    return controller;
  }

  async #startTransfer(agent: AgentDefinition, name: string): Promise<string | null> {
    const target = agent.transferTargets[name];
    if (!target) return `unknown target ${name}`;
    if (target.kind === 'dialplan') {
      this.#handover = {
        kind: 'dialplan',
        context: target.context,
        extension: target.extension,
        priority: target.priority,
      };
      void this.end('transferred');
      return null;
    }
    const { ari, arrivals, config } = this.#services;
    const transfer = new EndpointTransfer({
      ari,
      arrivals,
      resources: this.#resources,
      app: config.ari.app,
      callId: this.callId,
      callerId: `"${this.#caller.caller.name}" <${this.callerNumber}>`,
      log: this.log,
    });
    this.#transfer = transfer;
    const outcome = await transfer.dial(target.endpoint, target.timeoutSec);
    this.#transfer = null;
    if (outcome.ok) {
      this.#handover = {
        kind: 'bridge',
        targetChannelId: outcome.channelId,
        bridgeId: ownedId(config.ari.app, 'xbr', this.callId),
      };
      void this.end('transferred');
      return null;
    }
    return outcome.reason;
  }

  async #loadMemory(agent: AgentDefinition): Promise<CallerMemory | null> {
    const store = this.#services.store;
    if (store === null || !agent.memory.enabled || !this.callerNumber) return null;
    try {
      const memory = await store.getMemory(agent.id, this.callerNumber);
      if (memory) this.log.info({ callCount: memory.callCount }, 'returning caller');
      return memory;
    } catch (error) {
      this.#logStepFailure('load caller memory', error);
      return null;
    }
  }

  readonly #onAgentFrame = (): void => {
    if (this.#firstAgentFrameAt !== null) return;
    this.#firstAgentFrameAt = performance.now();
    if (this.#answeredAtMs !== null) {
      this.log.info(
        { afterAnswerMs: Math.round(this.#firstAgentFrameAt - this.#answeredAtMs) },
        'first agent audio sent',
      );
    }
  };

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
    const summary = callSummary({
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
    });
    this.log.info(summary, 'call ended');
    await finishRecord({
      store: this.#services.store,
      recorder: this.recorder,
      agent: this.#agentDefinition,
      callerNumber: this.callerNumber,
      rememberCaller: !this.#forgotten,
      memorySummary: this.#memorySummary,
      answeredAt: this.#answeredAt,
      reason,
      callerOutcome,
      conversation: this.#agent?.stats ?? null,
      media: { rtpIn: summary['rtpIn'], rtpOut: summary['rtpOut'] },
      prices: this.#services.config.prices,
      log: this.log,
    });
    this.#onEnded(this);
  }

  #summaryInputs() {
    const agent = this.#agentDefinition;
    return {
      session: this.#agent,
      wanted:
        this.#services.store !== null &&
        agent?.memory.enabled === true &&
        this.callerNumber !== '' &&
        !this.#forgotten &&
        this.recorder.turns.some((turn) => turn.role === 'caller'),
      recorder: this.recorder,
      timeoutMs: this.#services.config.memory.summaryTimeoutMs,
    };
  }

  #handoverContext() {
    const { ari, config, transfers } = this.#services;
    return {
      ari,
      callerChannelId: this.callerChannelId,
      answered: this.#answeredAtMs !== null,
      playbackId: ownedId(config.ari.app, 'pb', this.callId, ++this.#playbacks),
      waitForPlayback: (id: string, timeoutMs: number) => this.#waitForPlayback(id, timeoutMs),
      fallback: config.failure,
      log: this.log,
      transfers,
    };
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

  #logStepFailure(step: string, error: unknown): void {
    this.log.warn(
      { step, cause: error instanceof Error ? error.message : String(error) },
      'call step failed',
    );
  }
}

/** Follows a promise so its outcome can be read synchronously once it has settled. */
function track(promise: Promise<unknown>): { failure: () => unknown } {
  let failure: unknown = null;
  promise.catch((error: unknown) => {
    failure = error ?? new Error('failed');
  });
  return { failure: () => failure };
}
