import type {
  ConversationItem,
  RealtimeConversationItemAssistantMessage,
  RealtimeResponseCreateParams,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime';
import { durationMs, formatTypeOf } from './audio-format.ts';
import type { ToolOutputRecord } from './client-items.ts';
import type { ConversationState } from './conversation-state.ts';
import type { FakeRealtimeOptions } from './fake-realtime-options.ts';
import type { ToolCallRecord } from './function-call-events.ts';
import { invalidValue, isRecord, type RealtimeParamError } from './param-errors.ts';
import { newRealtimeId } from './realtime-ids.ts';
import {
  type CancelReason,
  type FakeResponseRecord,
  newResponseRecord,
  type ResponseSource,
  ResponseStreamer,
} from './response-streamer.ts';
import { estimateUsage } from './response-usage.ts';
import { defaultVoice, type FakeSessionObject } from './session-config.ts';
import {
  newTextResponseRecord,
  type TextResponseRecord,
  TextResponseStreamer,
} from './text-response-streamer.ts';
import type { TimerSet } from './timer-set.ts';
import { defaultReplyAudio } from './tone-audio.ts';
import { wallClockMs } from './wall-clock.ts';

export interface StartResponseOptions {
  /** Reply bytes in the response's output format (default: the server's replyAudio option). */
  audio?: Buffer;
  transcript?: string;
  instructions?: string;
  firstAudioDelayMs?: number;
  deltaBytes?: number;
  deltaIntervalMs?: number;
}

export interface CallToolOptions {
  /** Words said (as audio, with this transcript) before the call, in the same response. */
  sayFirst?: string;
  /** Audio for sayFirst, in the output format (default: the replyAudio option or the beeps). */
  audio?: Buffer;
  /** Default: a fresh `call_…` id. */
  callId?: string;
  /** How many delta events carry the arguments (default 3). */
  argumentDeltas?: number;
  /** Call a tool that session.update did not list (a model mistake). */
  allowUnlisted?: boolean;
  firstAudioDelayMs?: number;
  deltaBytes?: number;
  deltaIntervalMs?: number;
}

export interface ResponseManagerDeps {
  sessionIndex: number;
  send(event: RealtimeServerEvent): void;
  timers: TimerSet;
  options(): FakeRealtimeOptions;
  conversation: ConversationState;
  config(): FakeSessionObject;
}

type ToolCallPlan = Omit<ToolCallRecord, 'responseId' | 'status' | 'sentAt'> & { argumentDeltas: number };

// Every response of a session: audio replies, tool calls, text and out-of-band text responses.
// Only one response may write to the default conversation at a time; out-of-band ones run beside it.
export class ResponseManager {
  /** Responses in the default conversation with audio and/or a function call. */
  readonly responses: FakeResponseRecord[] = [];
  /** Text-only responses, in-band or out of band. */
  readonly textResponses: TextResponseRecord[] = [];
  readonly toolCalls: ToolCallRecord[] = [];
  readonly #deps: ResponseManagerDeps;
  #active: ResponseStreamer | TextResponseStreamer | undefined;
  readonly #outOfBand = new Set<TextResponseStreamer>();
  #toolOutputSinceLastResponse: string | undefined;

  constructor(deps: ResponseManagerDeps) {
    this.#deps = deps;
  }

  /** The active audio/tool response in the default conversation. */
  get activeResponse(): FakeResponseRecord | undefined {
    return this.#active instanceof ResponseStreamer ? this.#active.record : undefined;
  }

  /** The id of whatever response is writing to the default conversation now. */
  get activeResponseId(): string | undefined {
    return this.#active?.record.id;
  }

  startResponse(
    source: ResponseSource,
    request?: RealtimeResponseCreateParams,
    overrides: StartResponseOptions = {},
    toolCall?: ToolCallPlan,
  ): FakeResponseRecord {
    const options = this.#deps.options();
    const config = this.#deps.config();
    const output = config.audio?.output;
    const format = formatTypeOf(request?.audio?.output?.format ?? output?.format);
    const voiceSetting = request?.audio?.output?.voice ?? output?.voice ?? defaultVoice;
    const voice = typeof voiceSetting === 'string' ? voiceSetting : voiceSetting.id;
    const instructions = overrides.instructions ?? request?.instructions ?? config.instructions;
    const afterToolOutput = this.#takeToolOutput();
    const hasAudioItem = toolCall === undefined || toolCall.sayFirst !== undefined;
    const defaultTranscript = afterToolOutput ? options.toolReplyTranscript : options.replyTranscript;
    const record = newResponseRecord({
      source,
      format,
      voice,
      audio: Buffer.alloc(0),
      transcript: hasAudioItem ? (overrides.transcript ?? defaultTranscript) : '',
      request,
      instructions,
      hasAudioItem,
      afterToolOutput,
      ...(toolCall && !hasAudioItem ? { itemId: toolCall.itemId } : {}),
    });
    if (toolCall) {
      const { argumentDeltas: _, ...call } = toolCall;
      record.toolCall = { ...call, responseId: record.id, status: 'pending' };
      this.toolCalls.push(record.toolCall);
    }
    if (hasAudioItem) {
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
          afterToolOutput,
        }) ??
        defaultReplyAudio(format);
    }
    const { conversation } = this.#deps;
    const previousItemId = hasAudioItem
      ? conversation.add(assistantItem(record.itemId, 'in_progress', [])).previousItemId
      : conversation.lastItemId;
    const streamer = new ResponseStreamer(
      record,
      {
        firstAudioDelayMs: overrides.firstAudioDelayMs ?? options.firstAudioDelayMs,
        deltaBytes: overrides.deltaBytes ?? options.deltaBytes,
        deltaIntervalMs: overrides.deltaIntervalMs ?? options.deltaIntervalMs,
        conversationId: conversation.id,
        previousItemId,
        argumentDeltas: toolCall?.argumentDeltas ?? 1,
        usage: (r) => this.#usage(r),
      },
      {
        send: (e) => this.#deps.send(e),
        timers: this.#deps.timers,
        onFinished: (r) => this.#onResponseFinished(r),
        addItem: (item) => conversation.add(item).previousItemId,
        updateItem: (item) => conversation.update(item.id ?? '', item),
      },
    );
    this.responses.push(record);
    this.#active = streamer;
    streamer.start();
    return record;
  }

  /** The model calls a tool: a response whose output is a function_call (after words, if sayFirst). */
  callTool(name: string, args: unknown, options: CallToolOptions = {}): FakeResponseRecord {
    const { sessionIndex } = this.#deps;
    const activeId = this.activeResponseId;
    if (activeId) throw new Error(`session ${sessionIndex} already has active response ${activeId}`);
    const listed = (this.#deps.config().tools ?? []).flatMap((t) => (t.type === 'mcp' ? [] : [t.name]));
    if (!options.allowUnlisted && !listed.includes(name)) {
      throw new Error(
        `session ${sessionIndex} lists no tool '${name}' (tools: ${listed.join(', ') || 'none'})`,
      );
    }
    const plan: ToolCallPlan = {
      at: wallClockMs(),
      itemId: newRealtimeId('item'),
      callId: options.callId ?? newRealtimeId('call'),
      name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      argumentDeltas: options.argumentDeltas ?? 3,
    };
    if (options.sayFirst !== undefined) plan.sayFirst = options.sayFirst;
    const overrides: StartResponseOptions = {
      audio: options.audio,
      transcript: options.sayFirst,
      firstAudioDelayMs: options.firstAudioDelayMs,
      deltaBytes: options.deltaBytes,
      deltaIntervalMs: options.deltaIntervalMs,
    };
    return this.startResponse('server', undefined, overrides, plan);
  }

  /** response.create from the client. */
  create(request: unknown): RealtimeParamError | undefined {
    const params = isRecord(request) ? (request as RealtimeResponseCreateParams) : undefined;
    const modalities: unknown = params?.output_modalities;
    const valid =
      modalities === undefined ||
      (Array.isArray(modalities) &&
        modalities.length === 1 &&
        (modalities[0] === 'audio' || modalities[0] === 'text'));
    if (!valid) return invalidValue('response.output_modalities', modalities, ["['audio']", "['text']"]);
    const outOfBand = params?.conversation === 'none';
    const chosen =
      (modalities as string[] | undefined) ?? (outOfBand ? ['text'] : this.#deps.config().output_modalities);
    const textOnly = chosen?.[0] === 'text';
    if (outOfBand) {
      if (!textOnly) {
        return {
          code: 'fake_unsupported',
          message: 'The fake Realtime server makes out-of-band responses in text only.',
          param: 'response.output_modalities',
        };
      }
      this.#startText(params ?? {}, true);
      return undefined;
    }
    const activeId = this.activeResponseId;
    if (activeId) {
      return {
        code: 'conversation_already_has_active_response',
        message: `Conversation already has an active response in progress: ${activeId}. Wait until the response is finished before creating a new one.`,
        param: null,
      };
    }
    if (textOnly) this.#startText(params ?? {}, false);
    else this.startResponse('client', params);
    return undefined;
  }

  /** response.cancel: without an id only the default conversation's response, as on the real server. */
  cancel(responseId: unknown): RealtimeParamError | undefined {
    const active = this.#active;
    const target =
      responseId === undefined
        ? active
        : active?.record.id === responseId
          ? active
          : [...this.#outOfBand].find((s) => s.record.id === responseId);
    if (!target) {
      return {
        code: 'response_cancel_not_active',
        message: 'Cancellation failed: no active response found.',
        param: null,
      };
    }
    target.cancel('client_cancelled');
    return undefined;
  }

  /** The caller started speaking (VAD with interrupt_response): the default conversation's response stops. */
  interrupt(reason: CancelReason): void {
    this.#active?.cancel(reason);
  }

  onToolOutput(record: ToolOutputRecord): void {
    this.#toolOutputSinceLastResponse = record.callId;
    if (this.#deps.options().autoReplyToToolOutput && !this.#active) this.startResponse('server');
  }

  /** The connection is gone: stop streaming without sending anything. */
  abandon(): void {
    this.#active?.abandon();
    this.#active = undefined;
    for (const streamer of this.#outOfBand) streamer.abandon();
    this.#outOfBand.clear();
  }

  #startText(request: RealtimeResponseCreateParams, outOfBand: boolean): TextResponseRecord {
    const options = this.#deps.options();
    const { conversation } = this.#deps;
    const instructions = request.instructions ?? this.#deps.config().instructions;
    const afterToolOutput = outOfBand ? undefined : this.#takeToolOutput();
    const record = newTextResponseRecord({ outOfBand, text: '', instructions, request, afterToolOutput });
    record.text = options.textReply({
      sessionIndex: this.#deps.sessionIndex,
      responseIndex: this.textResponses.length,
      responseId: record.id,
      outOfBand,
      instructions,
      metadata: record.metadata,
      input: request.input,
    });
    const inConversation = outOfBand
      ? undefined
      : {
          id: conversation.id,
          previousItemId: conversation.add(assistantItem(record.itemId, 'in_progress', [])).previousItemId,
        };
    const streamer: TextResponseStreamer = new TextResponseStreamer(
      record,
      {
        deltaIntervalMs: options.deltaIntervalMs,
        conversation: inConversation,
        usage: (r) => this.#textUsage(r),
      },
      {
        send: (e) => this.#deps.send(e),
        timers: this.#deps.timers,
        onFinished: (r) => this.#onTextFinished(streamer, r),
      },
    );
    this.textResponses.push(record);
    if (outOfBand) this.#outOfBand.add(streamer);
    else this.#active = streamer;
    streamer.start();
    return record;
  }

  #takeToolOutput(): string | undefined {
    const callId = this.#toolOutputSinceLastResponse;
    this.#toolOutputSinceLastResponse = undefined;
    return callId;
  }

  #onResponseFinished(record: FakeResponseRecord): void {
    if (this.#active?.record === record) this.#active = undefined;
    if (!record.hasAudioItem) return;
    const content: RealtimeConversationItemAssistantMessage.Content[] = [
      { type: 'output_audio', transcript: record.transcriptSent },
    ];
    this.#deps.conversation.update(
      record.itemId,
      assistantItem(record.itemId, record.status === 'completed' ? 'completed' : 'incomplete', content),
    );
  }

  #onTextFinished(streamer: TextResponseStreamer, record: TextResponseRecord): void {
    if (this.#active === streamer) this.#active = undefined;
    this.#outOfBand.delete(streamer);
    if (record.outOfBand) return;
    const status = record.status === 'completed' ? 'completed' : 'incomplete';
    this.#deps.conversation.update(
      record.itemId,
      assistantItem(record.itemId, status, [{ type: 'output_text', text: record.textSent }]),
    );
  }

  #usage(record: FakeResponseRecord): ReturnType<typeof estimateUsage> {
    const earlierReplyMs = this.responses
      .filter((r) => r !== record)
      .reduce((sum, r) => sum + durationMs(r.format, r.bytesSent), 0);
    const call = record.toolCall?.status === 'sent' ? record.toolCall.arguments : '';
    return estimateUsage({
      contextTextChars: (record.instructions?.length ?? 0) + this.#deps.conversation.textChars(),
      contextAudioMs: this.#deps.conversation.inputAudioMs() + earlierReplyMs,
      outputAudioMs: durationMs(record.format, record.bytesSent),
      outputText: record.transcriptSent + call,
    });
  }

  #textUsage(record: TextResponseRecord): ReturnType<typeof estimateUsage> {
    const replyMs = this.responses.reduce((sum, r) => sum + durationMs(r.format, r.bytesSent), 0);
    return estimateUsage({
      contextTextChars: (record.instructions?.length ?? 0) + this.#deps.conversation.textChars(),
      contextAudioMs: this.#deps.conversation.inputAudioMs() + replyMs,
      outputAudioMs: 0,
      outputText: record.textSent,
    });
  }
}

function assistantItem(
  id: string,
  status: 'in_progress' | 'completed' | 'incomplete',
  content: RealtimeConversationItemAssistantMessage.Content[],
): ConversationItem {
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status, content };
}
