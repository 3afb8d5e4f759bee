import type {
  InputAudioBufferSpeechStartedEvent,
  InputAudioBufferSpeechStoppedEvent,
  RealtimeAudioInputTurnDetection,
  RealtimeClientEvent,
  RealtimeResponseCreateParams,
  RealtimeServerEvent,
  SessionCreatedEvent,
  SessionUpdatedEvent,
} from 'openai/resources/realtime/realtime';
import { formatTypeOf } from './audio-format.ts';
import type { TextItemRecord, ToolOutputRecord } from './client-items.ts';
import { handleConversationEvent, type TruncationRecord } from './conversation-events.ts';
import { ConversationState } from './conversation-state.ts';
import { clientEventIdOf, errorEvent } from './error-event.ts';
import type { FakeRealtimeOptions } from './fake-realtime-options.ts';
import { InputAudioTurns, type TurnEvent } from './input-audio-turns.ts';
import { newRealtimeId } from './realtime-ids.ts';
import { type CallToolOptions, ResponseManager, type StartResponseOptions } from './response-manager.ts';
import type { FakeResponseRecord, ResponseSource } from './response-streamer.ts';
import {
  applySessionUpdate,
  defaultSessionObject,
  type FakeSessionObject,
  type RealtimeParamError,
  serverVadDefaults,
  vadParamsFor,
} from './session-config.ts';
import type { TimerSet } from './timer-set.ts';
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

export type { CallToolOptions, StartResponseOptions } from './response-manager.ts';

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
  readonly truncations: TruncationRecord[] = [];
  readonly vadEvents: VadEventRecord[] = [];
  readonly toolOutputs: ToolOutputRecord[] = [];
  readonly textItems: TextItemRecord[] = [];
  readonly turns = new InputAudioTurns();
  readonly conversation = new ConversationState();
  readonly responseManager: ResponseManager;
  readonly #deps: ProtocolDeps;
  #config: FakeSessionObject;

  constructor(deps: ProtocolDeps) {
    this.#deps = deps;
    this.#config = defaultSessionObject(deps.model, wallClockMs());
    this.responseManager = new ResponseManager({
      sessionIndex: deps.sessionIndex,
      send: (event) => deps.send(event),
      timers: deps.timers,
      options: deps.options,
      conversation: this.conversation,
      config: () => this.#config,
    });
  }

  get config(): FakeSessionObject {
    return this.#config;
  }

  get responses(): readonly FakeResponseRecord[] {
    return this.responseManager.responses;
  }

  get activeResponse(): FakeResponseRecord | undefined {
    return this.responseManager.activeResponse;
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
        return this.responseManager.create((event as { response?: unknown }).response);
      case 'response.cancel':
        return this.responseManager.cancel((event as { response_id?: unknown }).response_id);
      case 'conversation.item.create':
      case 'conversation.item.delete':
      case 'conversation.item.retrieve':
      case 'conversation.item.truncate':
        return handleConversationEvent(event, at, {
          conversation: this.conversation,
          responses: this.responses,
          truncations: this.truncations,
          toolOutputs: this.toolOutputs,
          textItems: this.textItems,
          onToolOutput: (record) => this.responseManager.onToolOutput(record),
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
    return this.responseManager.startResponse(source, request, overrides);
  }

  callTool(name: string, args: unknown, options?: CallToolOptions): FakeResponseRecord {
    return this.responseManager.callTool(name, args, options);
  }

  /** The connection is gone: stop streaming without sending anything. */
  abandon(): void {
    this.responseManager.abandon();
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
      if (turnDetection?.interrupt_response ?? true) this.responseManager.interrupt('turn_detected');
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
    if ((turnDetection?.create_response ?? true) && !this.responseManager.activeResponseId)
      this.startResponse('vad');
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

  #turnDetection(): RealtimeAudioInputTurnDetection | null {
    return this.#config.audio?.input?.turn_detection ?? null;
  }
}
