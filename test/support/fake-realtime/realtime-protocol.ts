import type {
  ConversationItem,
  InputAudioBufferSpeechStartedEvent,
  InputAudioBufferSpeechStoppedEvent,
  RealtimeAudioInputTurnDetection,
  RealtimeClientEvent,
  RealtimeConversationItemAssistantMessage,
  RealtimeResponseCreateParams,
  RealtimeServerEvent,
  SessionCreatedEvent,
  SessionUpdatedEvent,
} from 'openai/resources/realtime/realtime';
import { durationMs, formatTypeOf } from './audio-format.ts';
import { handleConversationEvent, type TruncationRecord } from './conversation-events.ts';
import { ConversationState } from './conversation-state.ts';
import { clientEventIdOf, errorEvent } from './error-event.ts';
import type { FakeRealtimeOptions } from './fake-realtime-options.ts';
import { InputAudioTurns, type TurnEvent } from './input-audio-turns.ts';
import { newRealtimeId } from './realtime-ids.ts';
import {
  type FakeResponseRecord,
  newResponseRecord,
  type ResponseSource,
  ResponseStreamer,
} from './response-streamer.ts';
import { estimateUsage } from './response-usage.ts';
import {
  applySessionUpdate,
  defaultSessionObject,
  defaultVoice,
  type FakeSessionObject,
  isRecord,
  type RealtimeParamError,
  serverVadDefaults,
  vadParamsFor,
} from './session-config.ts';
import type { TimerSet } from './timer-set.ts';
import { defaultReplyAudio } from './tone-audio.ts';
import { commitUserTurn } from './user-turn-commit.ts';
import { wallClockMs } from './wall-clock.ts';

export interface VadEventRecord {
  /** When the event was sent (epoch ms). */
  at: number;
  type: 'speech_started' | 'speech_stopped';
  /** audio_start_ms or audio_end_ms as sent. */
  audioMs: number;
  itemId: string;
  forced: boolean;
}

export interface StartResponseOptions {
  /** Reply bytes in the response's output format (default: the server's replyAudio option). */
  audio?: Buffer;
  transcript?: string;
  instructions?: string;
  firstAudioDelayMs?: number;
  deltaBytes?: number;
  deltaIntervalMs?: number;
}

export interface ProtocolDeps {
  sessionIndex: number;
  model: string;
  send(event: RealtimeServerEvent): void;
  timers: TimerSet;
  options(): FakeRealtimeOptions;
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;
const minCommitMs = 100;

// The server side of one GA Realtime session: configuration, input audio turns and responses.
export class RealtimeProtocol {
  readonly responses: FakeResponseRecord[] = [];
  readonly truncations: TruncationRecord[] = [];
  readonly vadEvents: VadEventRecord[] = [];
  readonly turns = new InputAudioTurns();
  readonly conversation = new ConversationState();
  readonly #deps: ProtocolDeps;
  #config: FakeSessionObject;
  #active: ResponseStreamer | undefined;

  constructor(deps: ProtocolDeps) {
    this.#deps = deps;
    this.#config = defaultSessionObject(deps.model, wallClockMs());
  }

  get config(): FakeSessionObject {
    return this.#config;
  }

  get activeResponse(): FakeResponseRecord | undefined {
    return this.#active?.record;
  }

  sendSessionCreated(): void {
    this.#deps.send({
      type: 'session.created',
      event_id: newRealtimeId('event'),
      session: structuredClone(this.#config),
    } satisfies SessionCreatedEvent);
  }

  handle(event: RealtimeClientEvent, at: number): void {
    const error = this.#dispatch(event, at);
    if (error) this.#deps.send(errorEvent({ ...error, clientEventId: clientEventIdOf(event) }));
  }

  #dispatch(event: RealtimeClientEvent, at: number): RealtimeParamError | undefined {
    switch (event.type) {
      case 'session.update':
        return this.#sessionUpdate(event);
      case 'input_audio_buffer.append':
        return this.#append(event, at);
      case 'input_audio_buffer.commit':
        return this.#clientCommit();
      case 'input_audio_buffer.clear':
        this.turns.clear();
        this.#deps.send({ type: 'input_audio_buffer.cleared', event_id: newRealtimeId('event') });
        return undefined;
      case 'output_audio_buffer.clear':
        // WebRTC/SIP only on the real server; over WebSocket the fake just records it.
        return undefined;
      case 'response.create':
        return this.#responseCreate(event);
      case 'response.cancel':
        return this.#responseCancel(event);
      case 'conversation.item.create':
      case 'conversation.item.delete':
      case 'conversation.item.retrieve':
      case 'conversation.item.truncate':
        return handleConversationEvent(event, at, {
          conversation: this.conversation,
          responses: this.responses,
          truncations: this.truncations,
          send: (e) => this.#deps.send(e),
        });
    }
  }

  forceSpeechStarted(): void {
    const params = vadParamsFor(this.#turnDetection() ?? serverVadDefaults());
    this.#onTurnEvent(this.turns.forceSpeechStarted(params), true);
  }

  forceSpeechStopped(): void {
    this.#onTurnEvent(this.turns.forceSpeechStopped(), true);
  }

  startResponse(
    source: ResponseSource,
    request?: RealtimeResponseCreateParams,
    overrides: StartResponseOptions = {},
  ): FakeResponseRecord {
    const options = this.#deps.options();
    const output = this.#config.audio?.output;
    const format = formatTypeOf(request?.audio?.output?.format ?? output?.format);
    const voiceSetting = request?.audio?.output?.voice ?? output?.voice ?? defaultVoice;
    const voice = typeof voiceSetting === 'string' ? voiceSetting : voiceSetting.id;
    const instructions = overrides.instructions ?? request?.instructions ?? this.#config.instructions;
    const record = newResponseRecord({
      source,
      format,
      voice,
      audio: Buffer.alloc(0),
      transcript: overrides.transcript ?? options.replyTranscript,
      request,
      instructions,
    });
    record.audio =
      overrides.audio ??
      options.replyAudio?.({
        sessionIndex: this.#deps.sessionIndex,
        responseIndex: this.responses.length,
        responseId: record.id,
        source,
        format,
        voice,
        instructions,
      }) ??
      defaultReplyAudio(format);
    const placeholder = assistantItem(record.itemId, 'in_progress', []);
    const { previousItemId } = this.conversation.add(placeholder);
    const streamer = new ResponseStreamer(
      record,
      {
        firstAudioDelayMs: overrides.firstAudioDelayMs ?? options.firstAudioDelayMs,
        deltaBytes: overrides.deltaBytes ?? options.deltaBytes,
        deltaIntervalMs: overrides.deltaIntervalMs ?? options.deltaIntervalMs,
        conversationId: this.conversation.id,
        previousItemId,
        usage: (r) => this.#usage(r),
      },
      {
        send: (e) => this.#deps.send(e),
        timers: this.#deps.timers,
        onFinished: (r) => this.#onResponseFinished(r),
      },
    );
    this.responses.push(record);
    this.#active = streamer;
    streamer.start();
    return record;
  }

  /** The connection is gone: stop streaming without sending anything. */
  abandon(): void {
    this.#active?.abandon();
    this.#active = undefined;
  }

  #sessionUpdate(event: RealtimeClientEvent & { type: 'session.update' }): RealtimeParamError | undefined {
    const assistantAudioPresent = this.responses.some((r) => r.bytesSent > 0);
    const result = applySessionUpdate(this.#config, (event as { session?: unknown }).session, {
      assistantAudioPresent,
    });
    if (!result.ok) return result.error;
    this.#config = result.session;
    this.#deps.send({
      type: 'session.updated',
      event_id: newRealtimeId('event'),
      session: structuredClone(this.#config),
    } satisfies SessionUpdatedEvent);
    return undefined;
  }

  #append(
    event: RealtimeClientEvent & { type: 'input_audio_buffer.append' },
    at: number,
  ): RealtimeParamError | undefined {
    const audio: unknown = event.audio;
    if (audio === undefined) {
      return {
        code: 'missing_required_parameter',
        message: "Missing required parameter: 'audio'.",
        param: 'audio',
      };
    }
    if (typeof audio !== 'string' || !base64Pattern.test(audio)) {
      return {
        code: 'invalid_value',
        message: "Invalid 'audio'. Expected base64-encoded audio bytes.",
        param: 'audio',
      };
    }
    const bytes = Buffer.from(audio, 'base64');
    const turnDetection = this.#turnDetection();
    const inputFormat = formatTypeOf(this.#config.audio?.input?.format);
    const vad = turnDetection ? vadParamsFor(turnDetection) : null;
    for (const turnEvent of this.turns.append(at, bytes, inputFormat, vad))
      this.#onTurnEvent(turnEvent, false);
    return undefined;
  }

  #clientCommit(): RealtimeParamError | undefined {
    const pendingMs = this.turns.uncommittedMs;
    if (pendingMs < minCommitMs) {
      return {
        code: 'input_audio_buffer_commit_empty',
        message: `Error committing input audio buffer: buffer too small. Expected at least ${minCommitMs}ms of audio, but buffer only has ${pendingMs.toFixed(2)}ms of audio.`,
        param: null,
      };
    }
    const itemId = this.turns.speechItemId ?? newRealtimeId('item');
    this.turns.resetSpeech();
    this.#commitUserTurn(itemId);
    return undefined;
  }

  #onTurnEvent(turnEvent: TurnEvent, forced: boolean): void {
    const turnDetection = this.#turnDetection();
    const at = wallClockMs();
    if (turnEvent.type === 'speech_started') {
      this.vadEvents.push({
        at,
        type: turnEvent.type,
        audioMs: turnEvent.audioStartMs,
        itemId: turnEvent.itemId,
        forced,
      });
      this.#deps.send({
        type: 'input_audio_buffer.speech_started',
        event_id: newRealtimeId('event'),
        audio_start_ms: turnEvent.audioStartMs,
        item_id: turnEvent.itemId,
      } satisfies InputAudioBufferSpeechStartedEvent);
      if ((turnDetection?.interrupt_response ?? true) && this.#active) this.#active.cancel('turn_detected');
      return;
    }
    this.vadEvents.push({
      at,
      type: turnEvent.type,
      audioMs: turnEvent.audioEndMs,
      itemId: turnEvent.itemId,
      forced,
    });
    this.#deps.send({
      type: 'input_audio_buffer.speech_stopped',
      event_id: newRealtimeId('event'),
      audio_end_ms: turnEvent.audioEndMs,
      item_id: turnEvent.itemId,
    } satisfies InputAudioBufferSpeechStoppedEvent);
    this.#commitUserTurn(turnEvent.itemId);
    if ((turnDetection?.create_response ?? true) && !this.#active) this.startResponse('vad');
  }

  #commitUserTurn(itemId: string): void {
    const { ms } = this.turns.takePending();
    const transcription = this.#config.audio?.input?.transcription;
    commitUserTurn({
      itemId,
      audioMs: ms,
      conversation: this.conversation,
      transcription: transcription
        ? { model: transcription.model, transcript: this.#deps.options().callerTranscript }
        : undefined,
      send: (event) => this.#deps.send(event),
    });
  }

  #responseCreate(event: RealtimeClientEvent & { type: 'response.create' }): RealtimeParamError | undefined {
    if (this.#active) {
      return {
        code: 'conversation_already_has_active_response',
        message: `Conversation already has an active response in progress: ${this.#active.record.id}. Wait until the response is finished before creating a new one.`,
        param: null,
      };
    }
    const request: unknown = event.response;
    this.startResponse('client', isRecord(request) ? (request as RealtimeResponseCreateParams) : undefined);
    return undefined;
  }

  #responseCancel(event: RealtimeClientEvent & { type: 'response.cancel' }): RealtimeParamError | undefined {
    const active = this.#active;
    if (!active || (event.response_id !== undefined && event.response_id !== active.record.id)) {
      return {
        code: 'response_cancel_not_active',
        message: 'Cancellation failed: no active response found.',
        param: null,
      };
    }
    active.cancel('client_cancelled');
    return undefined;
  }

  #onResponseFinished(record: FakeResponseRecord): void {
    if (this.#active?.record === record) this.#active = undefined;
    const content: RealtimeConversationItemAssistantMessage.Content[] = [
      { type: 'output_audio', transcript: record.transcriptSent },
    ];
    this.conversation.update(
      record.itemId,
      assistantItem(record.itemId, record.status === 'completed' ? 'completed' : 'incomplete', content),
    );
  }

  #usage(record: FakeResponseRecord): ReturnType<typeof estimateUsage> {
    const earlierReplyMs = this.responses
      .filter((r) => r !== record)
      .reduce((sum, r) => sum + durationMs(r.format, r.bytesSent), 0);
    return estimateUsage({
      contextTextChars: (record.instructions?.length ?? 0) + this.conversation.textChars(),
      contextAudioMs: this.conversation.inputAudioMs() + earlierReplyMs,
      outputAudioMs: durationMs(record.format, record.bytesSent),
      outputText: record.transcriptSent,
    });
  }

  #turnDetection(): RealtimeAudioInputTurnDetection | null {
    return this.#config.audio?.input?.turn_detection ?? null;
  }
}

function assistantItem(
  id: string,
  status: 'in_progress' | 'completed' | 'incomplete',
  content: RealtimeConversationItemAssistantMessage.Content[],
): ConversationItem {
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status, content };
}
