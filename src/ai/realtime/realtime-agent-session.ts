// A call's conversation with the Realtime model: opens and configures the session, streams the
// caller's frames in as they arrive, hands the model's audio to the pacer as it arrives, and
// handles barge-in: queued agent audio is dropped at once, a running response is cancelled,
// and the interrupted item is truncated to exactly the audio that went out as RTP. Everything
// the call cares about (transcripts, tool calls, finished responses) goes to its listener.
import type { Logger } from '../../observability/logger.ts';
import { type ConversationStats, createConversationStats, recordUsage } from './conversation-stats.ts';
import {
  type RealtimeConnectError,
  RealtimeConnection,
  type RealtimeEndpoint,
} from './realtime-connection.ts';
import {
  type DecodedServerEvent,
  encodeAudioAppend,
  type RealtimeClientEvent,
  type RealtimeServerEvent,
} from './realtime-protocol.ts';
import { type AgentVoiceSettings, buildSessionUpdate } from './realtime-session-config.ts';
import { type AgentAudioOutput, type BargeInDecision, ResponseTracker } from './response-tracker.ts';
import { TextResponses } from './text-responses.ts';

export type { AgentAudioOutput, BargeInDecision };

export type SessionFailure = 'connect_failed' | 'configure_failed' | 'timeout' | 'disconnected';

export class RealtimeSessionError extends Error {
  readonly failure: SessionFailure;
  constructor(failure: SessionFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RealtimeSessionError';
    this.failure = failure;
  }
}

export interface TranscriptTurn {
  role: 'caller' | 'agent';
  text: string;
  itemId: string;
  interrupted?: boolean;
  heardMs?: number;
}

export interface ToolCallRequest {
  callId: string;
  name: string;
  arguments: string;
  responseId: string;
}

/** What the call hears from its conversation. Every method is optional to implement as a no-op. */
export interface AgentSessionListener {
  failed(error: RealtimeSessionError): void;
  transcript(turn: TranscriptTurn): void;
  bargedIn(decision: BargeInDecision): void;
  callerSpeech(state: 'started' | 'stopped'): void;
  toolCall(call: ToolCallRequest): void;
  responseCreated(responseId: string | undefined): void;
  responseDone(info: { responseId: string | undefined; status: string | undefined; hadAudio: boolean }): void;
}

export interface RealtimeAgentSessionOptions {
  endpoint: RealtimeEndpoint;
  voice: AgentVoiceSettings;
  logger: Logger;
  now?: () => number;
}

/** Error codes that only mean a race already resolved itself (e.g. the server auto-cancelled). */
const BENIGN_ERROR_CODES = new Set(['response_cancel_not_active']);

export class RealtimeAgentSession {
  readonly stats: ConversationStats = createConversationStats();
  readonly #connection: RealtimeConnection;
  readonly #now: () => number;
  readonly #tracker = new ResponseTracker();
  readonly #text = new TextResponses();
  readonly #unknownTypesLogged = new Set<string>();
  #voice: AgentVoiceSettings;
  #log: Logger;
  #output: AgentAudioOutput | null = null;
  #listener: AgentSessionListener | null = null;
  #configured: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #speechStoppedAt: number | null = null;
  #closed = false;
  readonly openedAt: number;

  constructor(options: RealtimeAgentSessionOptions) {
    this.#voice = options.voice;
    this.#log = options.logger;
    this.#now = options.now ?? (() => performance.now());
    this.openedAt = this.#now();
    this.#connection = new RealtimeConnection(options.endpoint, {
      onEvent: this.#onDecoded,
      onClose: this.#onClose,
    });
  }

  get isOpen(): boolean {
    return this.#connection.isOpen;
  }

  /** Whether a running response has said anything yet (e.g. a goodbye before calling end_call). */
  responseHasAudio(responseId: string): boolean {
    return this.#tracker.hasAudio(responseId);
  }

  /** A spoken response is running: a new one cannot be requested until it is done. */
  get hasActiveResponse(): boolean {
    return this.#tracker.activeResponseId !== null;
  }

  /** Binds the session to a call: its pacer, its listener and its logger. */
  attach(output: AgentAudioOutput, listener: AgentSessionListener, logger: Logger): void {
    this.#output = output;
    this.#listener = listener;
    this.#log = logger;
  }

  /** Connects and configures the session; resolves once session.updated confirms the settings. */
  async open(timeoutMs: number): Promise<void> {
    const deadline = this.#now() + timeoutMs;
    try {
      await this.#connection.open(timeoutMs);
    } catch (error) {
      const cause = error as RealtimeConnectError;
      const failure = cause.message.startsWith('no connection') ? 'timeout' : 'connect_failed';
      throw new RealtimeSessionError(failure, cause.message, { cause });
    }
    await this.#configure(this.#voice, Math.max(0, deadline - this.#now()));
  }

  /** Applies new settings (a pooled session meeting its call); resolves on session.updated. */
  reconfigure(voice: AgentVoiceSettings, timeoutMs: number): Promise<void> {
    this.#voice = voice;
    return this.#configure(voice, timeoutMs);
  }

  /** One caller frame, forwarded as it arrives. */
  appendCallerAudio(payload: Buffer): void {
    this.appendCallerAudioBase64(payload.toString('base64'));
  }

  appendCallerAudioBase64(base64: string): void {
    if (this.#connection.sendRaw(encodeAudioAppend(base64))) this.stats.framesAppended++;
  }

  /** Asks the model to speak now; `instructions` are added to the agent's own for this response. */
  createResponse(instructions?: string): void {
    const response = instructions
      ? { instructions: `${this.#voice.instructions}\n\n${instructions}`.trim() }
      : {};
    this.#send({ type: 'response.create', response });
    this.#speechStoppedAt ??= this.#now();
  }

  /** Asks the model to speak first. */
  greet(greetingInstructions: string): void {
    this.#speechStoppedAt = this.#now();
    this.createResponse(greetingInstructions);
  }

  /** A tool's result for the model; the caller decides when the model speaks again. */
  sendToolOutput(callId: string, output: unknown): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) },
    });
  }

  /** Adds something the caller did (keypad digits) to the conversation as their message. */
  addCallerText(text: string): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
  }

  /** Tells the model something that happened on the call (a failed transfer, a time limit). */
  addSystemNote(text: string): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'system', content: [{ type: 'input_text', text }] },
    });
  }

  /** An out-of-band text answer over the conversation so far (e.g. a call summary), or null. */
  requestText(instructions: string, purpose: string, timeoutMs: number): Promise<string | null> {
    if (!this.isOpen) return Promise.resolve(null);
    const pending = this.#text.expect(purpose, timeoutMs);
    this.#send({
      type: 'response.create',
      response: { conversation: 'none', output_modalities: ['text'], instructions, metadata: { purpose } },
    });
    return pending;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#text.cancelAll();
    await this.#connection.close();
  }

  async #configure(voice: AgentVoiceSettings, timeoutMs: number): Promise<void> {
    const configured = new Promise<void>((resolve, reject) => {
      this.#configured = { resolve, reject };
    });
    this.#send(buildSessionUpdate(voice));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RealtimeSessionError('timeout', `session not configured within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([configured, timeout]);
    } finally {
      clearTimeout(timer);
      this.#configured = null;
    }
  }

  #send(event: RealtimeClientEvent): void {
    this.#connection.send(event);
  }

  readonly #onClose = (code: number, reason: string, expected: boolean): void => {
    if (expected || this.#closed) return;
    const error = new RealtimeSessionError(
      'disconnected',
      `the Realtime socket closed unexpectedly (code ${code}${reason ? `, ${reason}` : ''})`,
    );
    this.#text.cancelAll();
    if (this.#configured) {
      this.#configured.reject(error);
      return;
    }
    this.#listener?.failed(error);
  };

  readonly #onDecoded = (decoded: DecodedServerEvent): void => {
    if (!decoded.ok) {
      this.stats.malformedEvents++;
      this.#log.warn(
        { failure: decoded.failure, eventType: decoded.type },
        'dropped a malformed Realtime event',
      );
      return;
    }
    this.#handle(decoded.event);
  };

  #handle(event: RealtimeServerEvent): void {
    switch (event.type) {
      case 'response.output_audio.delta': {
        const output = this.#output;
        if (output === null || !this.#tracker.acceptsAudio(event.response_id, event.item_id)) return;
        if (this.#speechStoppedAt !== null) {
          this.stats.turnLatenciesMs.push(this.#now() - this.#speechStoppedAt);
          this.#speechStoppedAt = null;
        }
        output.enqueue(event.item_id, Buffer.from(event.delta, 'base64'));
        return;
      }
      case 'response.output_audio.done':
        this.#tracker.audioDone(event.item_id);
        return;
      case 'input_audio_buffer.speech_started':
        this.#bargeIn();
        this.#listener?.callerSpeech('started');
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#speechStoppedAt = this.#now();
        this.#listener?.callerSpeech('stopped');
        return;
      case 'response.created':
        if (this.#text.owns(event.response)) return;
        this.#tracker.responseCreated(event.response.id);
        this.#listener?.responseCreated(event.response.id);
        return;
      case 'response.done':
        this.#onResponseDone(event.response);
        return;
      case 'response.output_text.done':
        this.#text.textDone(event.response_id, event.text);
        return;
      case 'response.function_call_arguments.done':
        this.stats.toolCalls++;
        this.#listener?.toolCall({
          callId: event.call_id,
          name: event.name,
          arguments: event.arguments,
          responseId: event.response_id,
        });
        return;
      case 'response.output_audio_transcript.done': {
        const interrupted = this.#tracker.wasInterrupted(event.item_id);
        const heardMs = interrupted ? this.#output?.playedMs(event.item_id) : undefined;
        this.#log.info(
          {
            transcript: { role: 'agent', text: event.transcript },
            itemId: event.item_id,
            ...(interrupted ? { interrupted: true, heardMs } : {}),
          },
          'agent said',
        );
        this.#listener?.transcript({
          role: 'agent',
          text: event.transcript,
          itemId: event.item_id,
          ...(interrupted ? { interrupted, ...(heardMs !== undefined ? { heardMs } : {}) } : {}),
        });
        return;
      }
      case 'conversation.item.input_audio_transcription.completed':
        this.stats.callerTurns++;
        this.#log.info(
          { transcript: { role: 'caller', text: event.transcript }, itemId: event.item_id },
          'caller said',
        );
        this.#listener?.transcript({ role: 'caller', text: event.transcript, itemId: event.item_id });
        return;
      case 'session.updated':
        this.#configured?.resolve();
        return;
      case 'error':
        this.#onError(event.error);
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.#log.debug({ itemId: event.item_id }, 'caller transcription failed');
        return;
      case 'session.created':
      case 'conversation.created':
      case 'conversation.item.added':
      case 'conversation.item.created':
      case 'conversation.item.deleted':
      case 'conversation.item.done':
      case 'conversation.item.input_audio_transcription.delta':
      case 'conversation.item.input_audio_transcription.segment':
      case 'conversation.item.retrieved':
      case 'conversation.item.truncated':
      case 'input_audio_buffer.cleared':
      case 'input_audio_buffer.committed':
      case 'input_audio_buffer.dtmf_event_received':
      case 'input_audio_buffer.timeout_triggered':
      case 'output_audio_buffer.cleared':
      case 'output_audio_buffer.started':
      case 'output_audio_buffer.stopped':
      case 'rate_limits.updated':
      case 'response.content_part.added':
      case 'response.content_part.done':
      case 'response.function_call_arguments.delta':
      case 'response.output_audio_transcript.delta':
      case 'response.output_item.added':
      case 'response.output_item.done':
      case 'response.output_text.delta':
      case 'mcp_list_tools.completed':
      case 'mcp_list_tools.failed':
      case 'mcp_list_tools.in_progress':
      case 'response.mcp_call.completed':
      case 'response.mcp_call.failed':
      case 'response.mcp_call.in_progress':
      case 'response.mcp_call_arguments.delta':
      case 'response.mcp_call_arguments.done':
        return;
      default:
        assertNever(event);
        this.#logUnknownOnce((event as { type: string }).type);
    }
  }

  #onResponseDone(response: Extract<RealtimeServerEvent, { type: 'response.done' }>['response']): void {
    recordUsage(this.stats, response.usage);
    if (this.#text.done(response)) return;
    const { hadAudio } = this.#tracker.responseDone(response.id);
    this.stats.responses++;
    if (response.status === 'failed') {
      this.#log.warn({ statusDetails: response.status_details }, 'the model failed a response');
    }
    this.#listener?.responseDone({ responseId: response.id, status: response.status, hadAudio });
  }

  #onError(error: { type: string; code?: string | null; message: string; param?: string | null }): void {
    const { type, code, message, param } = error;
    if (code && BENIGN_ERROR_CODES.has(code)) {
      this.#log.debug({ code }, 'Realtime reported a resolved race');
      return;
    }
    this.stats.errorEvents++;
    this.#log.warn({ errorType: type, code, param, message }, 'the Realtime API reported an error');
    this.#configured?.reject(
      new RealtimeSessionError(
        'configure_failed',
        `the Realtime API rejected the session settings: ${message}`,
      ),
    );
  }

  #bargeIn(): void {
    const output = this.#output;
    if (output === null) return;
    const started = this.#now();
    const decision = this.#tracker.bargeIn(output);
    if (decision === null) return;
    this.stats.bargeIns++;
    if (decision.cancelResponseId !== null) {
      this.#send({ type: 'response.cancel', response_id: decision.cancelResponseId });
    }
    if (decision.truncate !== null) {
      this.#send({
        type: 'conversation.item.truncate',
        item_id: decision.truncate.itemId,
        content_index: 0,
        audio_end_ms: decision.truncate.audioEndMs,
      });
    }
    this.stats.bargeInReactionsMs.push(this.#now() - started);
    this.#log.info(
      { itemId: decision.itemId, heardMs: decision.heardMs, droppedMs: decision.droppedMs },
      'caller interrupted the agent',
    );
    this.#listener?.bargedIn(decision);
  }

  #logUnknownOnce(type: string): void {
    if (this.#unknownTypesLogged.has(type)) return;
    this.#unknownTypesLogged.add(type);
    this.#log.info({ eventType: type }, 'ignoring an unknown Realtime event type');
  }
}

function assertNever(_event: never): void {}
