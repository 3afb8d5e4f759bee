// A call's conversation with the Realtime model: opens and configures the session, streams the
// caller's frames in as they arrive, hands the model's audio to the pacer as it arrives, and
// handles barge-in: queued agent audio is dropped at once, a running response is cancelled,
// and the interrupted item is truncated to exactly the audio that went out as RTP.
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

/** Where the model's audio goes: the call's RTP pacer. */
export interface AgentAudioOutput {
  enqueue(itemId: string, audio: Buffer): void;
  interrupt(): { itemId: string | null; playedMs: number; droppedBytes: number };
  playedMs(itemId: string): number;
}

export type SessionFailure = 'connect_failed' | 'configure_failed' | 'timeout' | 'disconnected';

export class RealtimeSessionError extends Error {
  readonly failure: SessionFailure;
  constructor(failure: SessionFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RealtimeSessionError';
    this.failure = failure;
  }
}

export interface RealtimeAgentSessionOptions {
  endpoint: RealtimeEndpoint;
  voice: AgentVoiceSettings;
  output: AgentAudioOutput;
  logger: Logger;
  /** The socket dropped mid-call. */
  onFailure: (error: RealtimeSessionError) => void;
  now?: () => number;
}

/** Error codes that only mean a race already resolved itself (e.g. the server auto-cancelled). */
const BENIGN_ERROR_CODES = new Set(['response_cancel_not_active']);

export class RealtimeAgentSession {
  readonly stats: ConversationStats = createConversationStats();
  readonly #options: RealtimeAgentSessionOptions;
  readonly #connection: RealtimeConnection;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #unknownTypesLogged = new Set<string>();
  #configured: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #activeResponseId: string | null = null;
  /** Responses cut off by barge-in: their late deltas are discarded. */
  readonly #interruptedResponses = new Set<string>();
  /** Items cut by barge-in, for the transcript log. */
  readonly #interruptedItems = new Set<string>();
  /** Items whose audio is still arriving (output_audio.done not yet seen). */
  readonly #streamingItems = new Set<string>();
  #speechStoppedAt: number | null = null;
  #closed = false;

  constructor(options: RealtimeAgentSessionOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#now = options.now ?? (() => performance.now());
    this.#connection = new RealtimeConnection(options.endpoint, {
      onEvent: this.#onDecoded,
      onClose: this.#onClose,
    });
  }

  get isOpen(): boolean {
    return this.#connection.isOpen;
  }

  /** Connects and configures the session; resolves once session.updated confirms the settings. */
  async open(timeoutMs: number): Promise<void> {
    const deadline = this.#now() + timeoutMs;
    try {
      await this.#connection.open(timeoutMs);
    } catch (error) {
      const cause = error as RealtimeConnectError;
      throw new RealtimeSessionError(
        cause.message.startsWith('no connection') ? 'timeout' : 'connect_failed',
        cause.message,
        { cause },
      );
    }
    const configured = new Promise<void>((resolve, reject) => {
      this.#configured = { resolve, reject };
    });
    this.#send(buildSessionUpdate(this.#options.voice));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RealtimeSessionError('timeout', `session not configured within ${timeoutMs} ms`)),
        Math.max(0, deadline - this.#now()),
      );
    });
    try {
      await Promise.race([configured, timeout]);
    } finally {
      clearTimeout(timer);
      this.#configured = null;
    }
  }

  /** One caller frame, forwarded as it arrives. */
  appendCallerAudio(payload: Buffer): void {
    this.appendCallerAudioBase64(payload.toString('base64'));
  }

  appendCallerAudioBase64(base64: string): void {
    if (this.#connection.sendRaw(encodeAudioAppend(base64))) this.stats.framesAppended++;
  }

  /** Asks the model to speak first. */
  greet(greetingInstructions: string): void {
    const instructions = `${this.#options.voice.instructions}\n\n${greetingInstructions}`.trim();
    this.#send({ type: 'response.create', response: { instructions } });
    this.#speechStoppedAt = this.#now();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#connection.close();
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
    if (this.#configured) {
      this.#configured.reject(error);
      return;
    }
    this.#options.onFailure(error);
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
        if (this.#interruptedResponses.has(event.response_id)) return;
        const audio = Buffer.from(event.delta, 'base64');
        if (this.#speechStoppedAt !== null) {
          this.stats.turnLatenciesMs.push(this.#now() - this.#speechStoppedAt);
          this.#speechStoppedAt = null;
        }
        this.#streamingItems.add(event.item_id);
        this.#options.output.enqueue(event.item_id, audio);
        return;
      }
      case 'response.output_audio.done':
        this.#streamingItems.delete(event.item_id);
        return;
      case 'input_audio_buffer.speech_started':
        this.#bargeIn();
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#speechStoppedAt = this.#now();
        return;
      case 'response.created':
        this.#activeResponseId = event.response.id ?? null;
        return;
      case 'response.done': {
        const response = event.response;
        if (response.id === this.#activeResponseId) this.#activeResponseId = null;
        if (response.id) this.#interruptedResponses.delete(response.id);
        recordUsage(this.stats, response.usage);
        this.stats.responses++;
        if (response.status === 'failed') {
          this.#log.warn({ statusDetails: response.status_details }, 'the model failed a response');
        }
        return;
      }
      case 'response.output_audio_transcript.done': {
        const interrupted = this.#interruptedItems.has(event.item_id);
        this.#log.info(
          {
            transcript: { role: 'agent', text: event.transcript },
            itemId: event.item_id,
            ...(interrupted
              ? { interrupted: true, heardMs: this.#options.output.playedMs(event.item_id) }
              : {}),
          },
          'agent said',
        );
        return;
      }
      case 'conversation.item.input_audio_transcription.completed':
        this.stats.callerTurns++;
        this.#log.info(
          { transcript: { role: 'caller', text: event.transcript }, itemId: event.item_id },
          'caller said',
        );
        return;
      case 'session.updated':
        this.#configured?.resolve();
        return;
      case 'error': {
        const { type, code, message, param } = event.error;
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
        return;
      }
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
      case 'response.function_call_arguments.done':
      case 'response.output_audio_transcript.delta':
      case 'response.output_item.added':
      case 'response.output_item.done':
      case 'response.output_text.delta':
      case 'response.output_text.done':
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

  #bargeIn(): void {
    const cut = this.#options.output.interrupt();
    const responseId = this.#activeResponseId;
    const stillStreaming = cut.itemId !== null && this.#streamingItems.has(cut.itemId);
    if (cut.droppedBytes === 0 && !stillStreaming && responseId === null) return;

    this.stats.bargeIns++;
    if (responseId !== null) {
      this.#interruptedResponses.add(responseId);
      this.#send({ type: 'response.cancel', response_id: responseId });
      this.#activeResponseId = null;
    }
    if (cut.itemId !== null && (cut.droppedBytes > 0 || stillStreaming)) {
      this.#streamingItems.delete(cut.itemId);
      this.#interruptedItems.add(cut.itemId);
      if (this.#interruptedItems.size > 64) this.#interruptedItems.clear();
      this.#send({
        type: 'conversation.item.truncate',
        item_id: cut.itemId,
        content_index: 0,
        audio_end_ms: cut.playedMs,
      });
    }
    this.#log.info(
      { itemId: cut.itemId, heardMs: cut.playedMs, droppedMs: Math.floor(cut.droppedBytes / 8) },
      'caller interrupted the agent',
    );
  }

  #logUnknownOnce(type: string): void {
    if (this.#unknownTypesLogged.has(type)) return;
    this.#unknownTypesLogged.add(type);
    this.#log.info({ eventType: type }, 'ignoring an unknown Realtime event type');
  }
}

function assertNever(_event: never): void {}
