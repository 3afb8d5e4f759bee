// A call's conversation with the Realtime model: opens and configures the session, streams the
// caller's frames in as they arrive, hands the model's audio to the pacer as it arrives, and
// handles barge-in: queued agent audio is dropped at once, a running response is cancelled,
// and the interrupted item is truncated to exactly the audio that went out as RTP. Everything
// the call cares about (transcripts, tool calls, finished responses) goes to its listener.
// A call's conversation with the Realtime model: configures the session, streams the caller's
// frames in as they arrive, hands the model's audio to the pacer as it arrives, and handles
// barge-in: queued agent audio is dropped at once, a running response is cancelled, and the
// interrupted item is truncated to exactly the audio that went out as RTP. It keeps the
// conversation as text so its RealtimeLink can restore it on a new socket. Everything the call
// cares about (transcripts, tool calls, finished responses) goes to its listener.
import type { Logger } from '../../observability/logger.ts';
import { RepeatedWarning } from '../../observability/repeated-warning.ts';
import { ConversationHistory } from './conversation-history.ts';
import { type ConversationStats, createConversationStats, recordUsage } from './conversation-stats.ts';
import type { RealtimeEndpoint } from './realtime-connection.ts';
import {
  type HistoryTurn,
  type LinkOwner,
  RealtimeLink,
  RealtimeSessionError,
  type ResilienceSettings,
  type SessionFailure,
} from './realtime-link.ts';
import {
  type DecodedServerEvent,
  isBenignErrorCode,
  isIgnoredServerEvent,
  type RealtimeClientEvent,
  type RealtimeServerEvent,
} from './realtime-protocol.ts';
import type { AgentVoiceSettings } from './realtime-session-config.ts';
import { type AgentAudioOutput, type BargeInDecision, ResponseTracker } from './response-tracker.ts';
import { TextResponses } from './text-responses.ts';

export type { AgentAudioOutput, BargeInDecision, ResilienceSettings, SessionFailure };
export { RealtimeSessionError };

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
  /**
   * The conversation continues on a new socket after a drop or a planned rollover. Responses of
   * the old socket will never finish; `cutOff` says one was running when it dropped.
   */
  restored(how: 'reconnected' | 'rolled_over', cutOff: boolean): void;
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
  resilience: ResilienceSettings;
  now?: () => number;
}

export class RealtimeAgentSession implements LinkOwner {
  readonly stats: ConversationStats = createConversationStats();
  readonly #link: RealtimeLink;
  readonly #now: () => number;
  #tracker = new ResponseTracker();
  readonly #text = new TextResponses();
  readonly #unknownTypesLogged = new Set<string>();
  readonly #malformedWarning = new RepeatedWarning();
  readonly #history = new ConversationHistory();
  #log: Logger;
  #output: AgentAudioOutput | null = null;
  #listener: AgentSessionListener | null = null;
  #speechStoppedAt: number | null = null;
  #callerSpeaking = false;
  /** A spoken response asked for whose response.created has not come yet. */
  #requested: RealtimeClientEvent | null = null;
  #closed = false;

  constructor(options: RealtimeAgentSessionOptions) {
    this.#log = options.logger;
    this.#now = options.now ?? (() => performance.now());
    this.#link = new RealtimeLink({
      endpoint: options.endpoint,
      voice: options.voice,
      owner: this,
      logger: options.logger,
      resilience: options.resilience,
    });
  }

  get isOpen(): boolean {
    return this.#link.isOpen;
  }

  /** When the socket in use opened; the provider's session time limit counts from here. */
  get openedAt(): number {
    return this.#link.openedAt;
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
    this.#link.logger = logger;
  }

  /** Connects and configures the session; resolves once session.updated confirms the settings. */
  open(timeoutMs: number): Promise<void> {
    return this.#link.open(timeoutMs);
  }

  /** Applies new settings (a pooled session meeting its call); resolves on session.updated. */
  reconfigure(voice: AgentVoiceSettings, timeoutMs: number): Promise<void> {
    return this.#link.reconfigure(voice, timeoutMs);
  }

  /** One caller frame, forwarded as it arrives. */
  appendCallerAudio(payload: Buffer): void {
    this.appendCallerAudioBase64(payload.toString('base64'));
  }

  appendCallerAudioBase64(base64: string): void {
    if (this.#link.appendAudio(base64)) this.stats.framesAppended++;
  }

  /** Asks the model to speak now; `instructions` are added to the agent's own for this response. */
  createResponse(instructions?: string): void {
    const response = instructions
      ? { instructions: `${this.#link.voice.instructions}\n\n${instructions}`.trim() }
      : {};
    const request: RealtimeClientEvent = { type: 'response.create', response };
    this.#requested = request;
    this.#send(request);
    this.#speechStoppedAt ??= this.#now();
  }

  /** Asks the model to speak first. */
  greet(greetingInstructions: string): void {
    this.#speechStoppedAt = this.#now();
    this.createResponse(greetingInstructions);
  }

  /** A tool's result for the model; the caller decides when the model speaks again. */
  sendToolOutput(callId: string, output: unknown): void {
    const json = JSON.stringify(output);
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: callId, output: json },
    });
    this.#history.toolAnswered(callId, json);
  }

  /** Adds something the caller did (keypad digits) to the conversation as their message. */
  addCallerText(text: string): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
    this.#history.add('user', text);
  }

  /** Tells the model something that happened on the call (a failed transfer, a time limit). */
  addSystemNote(text: string): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'system', content: [{ type: 'input_text', text }] },
    });
    this.#history.add('system', text);
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
    await this.#link.close();
  }

  // --- LinkOwner ---

  event(decoded: DecodedServerEvent): void {
    if (!decoded.ok) {
      this.stats.malformedEvents++;
      const count = this.#malformedWarning.occurred();
      if (count !== null) {
        this.#log.warn(
          { failure: decoded.failure, eventType: decoded.type, count },
          'dropped a malformed Realtime event',
        );
      }
      return;
    }
    this.#handle(decoded.event);
  }

  history(): readonly HistoryTurn[] {
    return this.#history.turns;
  }

  quiet(): boolean {
    return (
      this.#tracker.activeResponseId === null &&
      !this.#callerSpeaking &&
      !this.#text.pending &&
      !(this.#output?.isPlaying() ?? false)
    );
  }

  restored(how: 'reconnected' | 'rolled_over'): void {
    const wasResponding = this.#tracker.activeResponseId !== null;
    // Item and response ids of the old socket mean nothing to the new one.
    this.#tracker = new ResponseTracker();
    this.#text.cancelAll();
    this.#callerSpeaking = false;
    if (how === 'reconnected') this.stats.reconnects++;
    else this.stats.rollovers++;
    // A request to speak that the old socket never answered is asked again.
    const unanswered = this.#requested;
    if (unanswered !== null) this.#send(unanswered);
    this.#listener?.restored(how, wasResponding && unanswered === null);
  }

  lost(error: RealtimeSessionError): void {
    this.stats.reconnectsFailed++;
    this.#text.cancelAll();
    if (!this.#closed) this.#listener?.failed(error);
  }

  #send(event: RealtimeClientEvent): void {
    this.#link.send(event);
  }

  #handle(event: RealtimeServerEvent): void {
    if (isIgnoredServerEvent(event)) return;
    switch (event.type) {
      case 'response.output_audio.delta': {
        const output = this.#output;
        if (output === null) return;
        if (!this.#tracker.acceptsAudio(event.response_id, event.item_id)) {
          this.stats.droppedAudioDeltas++;
          return;
        }
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
        this.#callerSpeaking = true;
        this.#bargeIn();
        this.#listener?.callerSpeech('started');
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#callerSpeaking = false;
        this.#speechStoppedAt = this.#now();
        this.#listener?.callerSpeech('stopped');
        return;
      case 'response.created':
        if (this.#text.owns(event.response)) return;
        this.#requested = null;
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
        this.#history.toolCalled(event.call_id, event.name);
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
        this.#history.agentSaid(event.transcript, interrupted);
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
        this.#history.add('user', event.transcript);
        this.#listener?.transcript({ role: 'caller', text: event.transcript, itemId: event.item_id });
        return;
      case 'error':
        this.#onError(event.error);
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.#log.debug({ itemId: event.item_id }, 'caller transcription failed');
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
    if (isBenignErrorCode(code)) {
      this.#log.debug({ code }, 'Realtime reported a resolved race');
      return;
    }
    this.stats.errorEvents++;
    this.#log.warn({ errorType: type, code, param, message }, 'the Realtime API reported an error');
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
    if (this.#unknownTypesLogged.has(type) || this.#unknownTypesLogged.size >= 100) return;
    this.#unknownTypesLogged.add(type);
    this.#log.info({ eventType: type }, 'ignoring an unknown Realtime event type');
  }
}

function assertNever(_event: never): void {}
