import type {
  ConversationItem,
  RealtimeConversationItemAssistantMessage,
  RealtimeResponse,
  RealtimeResponseCreateParams,
  RealtimeResponseUsage,
  ResponseAudioDeltaEvent,
  ResponseAudioDoneEvent,
  ResponseAudioTranscriptDeltaEvent,
  ResponseAudioTranscriptDoneEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseDoneEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
} from 'openai/resources/realtime/realtime';
import { type AudioFormatType, formatObject } from './audio-format.ts';
import { type FunctionCallHooks, sendFunctionCall, type ToolCallRecord } from './function-call-events.ts';
import { newRealtimeId } from './realtime-ids.ts';
import type { TimerSet } from './timer-set.ts';
import { wallClockMs } from './wall-clock.ts';

export type ResponseSource = 'vad' | 'client' | 'server';
export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled';
export type CancelReason = 'turn_detected' | 'client_cancelled';

export interface AudioDeltaRecord {
  at: number;
  byteOffset: number;
  length: number;
}

export interface FakeResponseRecord {
  id: string;
  itemId: string;
  source: ResponseSource;
  status: ResponseStatus;
  cancelReason?: CancelReason;
  createdAt: number;
  firstDeltaAt?: number;
  doneAt?: number;
  format: AudioFormatType;
  voice: string;
  /** The whole reply planned for this response, in `format`. */
  audio: Buffer;
  bytesSent: number;
  deltas: AudioDeltaRecord[];
  transcript: string;
  transcriptSent: string;
  /** The client's response.create parameters, when the client asked for it. */
  request?: RealtimeResponseCreateParams;
  instructions?: string;
  /** False for a tool call without words first: then `itemId` is the function_call item. */
  hasAudioItem: boolean;
  /** The function call this response makes after its audio (session.callTool). */
  toolCall?: ToolCallRecord;
  /** The call_id of the function_call_output added since the previous response, if any. */
  afterToolOutput?: string;
}

export interface ResponsePlan {
  firstAudioDelayMs: number;
  deltaBytes: number;
  deltaIntervalMs: number;
  conversationId: string;
  previousItemId: string | null;
  /** How many response.function_call_arguments.delta events carry the arguments. */
  argumentDeltas: number;
  usage(record: FakeResponseRecord): RealtimeResponseUsage;
}

export interface ResponseStreamerHooks extends FunctionCallHooks {
  timers: TimerSet;
  onFinished(record: FakeResponseRecord): void;
}

// Streams one response in the GA event order, faster than real time: an assistant audio item,
// then (for session.callTool) a function_call item; either may be the only one.
export class ResponseStreamer {
  readonly record: FakeResponseRecord;
  readonly #plan: ResponsePlan;
  readonly #hooks: ResponseStreamerHooks;
  readonly #transcriptChunks: string[];
  #transcriptChunksSent = 0;
  #timer: NodeJS.Timeout | undefined;
  #audioItem: RealtimeConversationItemAssistantMessage | undefined;
  #functionCallItem: ConversationItem | undefined;

  constructor(record: FakeResponseRecord, plan: ResponsePlan, hooks: ResponseStreamerHooks) {
    this.record = record;
    this.#plan = plan;
    this.#hooks = hooks;
    this.#transcriptChunks = record.transcript.match(/\S+\s*/g) ?? [];
  }

  get active(): boolean {
    return this.record.status === 'in_progress';
  }

  start(): void {
    const { id, itemId } = this.record;
    this.#hooks.send({
      type: 'response.created',
      event_id: newRealtimeId('event'),
      response: this.#responseObject([]),
    } satisfies ResponseCreatedEvent);
    if (!this.record.hasAudioItem) {
      this.#timer = this.#hooks.timers.set(() => this.#complete(), this.#plan.firstAudioDelayMs);
      return;
    }
    this.#hooks.send({
      type: 'response.output_item.added',
      event_id: newRealtimeId('event'),
      response_id: id,
      output_index: 0,
      item: this.#item('in_progress', []),
    } satisfies ResponseOutputItemAddedEvent);
    this.#hooks.send({
      type: 'conversation.item.added',
      event_id: newRealtimeId('event'),
      previous_item_id: this.#plan.previousItemId,
      item: this.#item('in_progress', []),
    });
    this.#hooks.send({
      type: 'response.content_part.added',
      event_id: newRealtimeId('event'),
      response_id: id,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { type: 'audio', transcript: '' },
    } satisfies ResponseContentPartAddedEvent);
    this.#timer = this.#hooks.timers.set(() => this.#sendNextDelta(), this.#plan.firstAudioDelayMs);
  }

  cancel(reason: CancelReason): void {
    if (!this.active) return;
    this.#hooks.timers.clear(this.#timer);
    this.#timer = undefined;
    this.record.cancelReason = reason;
    if (this.record.toolCall?.status === 'pending') this.record.toolCall.status = 'cancelled';
    if (this.record.hasAudioItem) this.#finishAudioItem('cancelled');
    this.#finishResponse('cancelled');
  }

  /** Stops without sending anything more (the connection is gone). */
  abandon(): void {
    this.#hooks.timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.active) {
      this.record.status = 'cancelled';
      this.record.doneAt = wallClockMs();
      if (this.record.toolCall?.status === 'pending') this.record.toolCall.status = 'cancelled';
    }
  }

  #sendNextDelta(): void {
    this.#timer = undefined;
    if (!this.active) return;
    const { audio } = this.record;
    const offset = this.record.bytesSent;
    const chunk = audio.subarray(offset, offset + Math.max(1, this.#plan.deltaBytes));
    if (chunk.length > 0) {
      const at = wallClockMs();
      this.record.firstDeltaAt ??= at;
      this.record.deltas.push({ at, byteOffset: offset, length: chunk.length });
      this.record.bytesSent += chunk.length;
      this.#hooks.send({
        type: 'response.output_audio.delta',
        event_id: newRealtimeId('event'),
        response_id: this.record.id,
        item_id: this.record.itemId,
        output_index: 0,
        content_index: 0,
        delta: chunk.toString('base64'),
      } satisfies ResponseAudioDeltaEvent);
    }
    const progress = audio.length === 0 ? 1 : this.record.bytesSent / audio.length;
    this.#sendTranscriptUpTo(Math.floor(progress * this.#transcriptChunks.length));
    if (this.record.bytesSent >= audio.length) {
      this.#finishAudioItem('completed');
      this.#complete();
      return;
    }
    this.#timer = this.#hooks.timers.set(() => this.#sendNextDelta(), this.#plan.deltaIntervalMs);
  }

  #sendTranscriptUpTo(count: number): void {
    while (this.#transcriptChunksSent < count) {
      const delta = this.#transcriptChunks[this.#transcriptChunksSent++] ?? '';
      this.record.transcriptSent += delta;
      this.#hooks.send({
        type: 'response.output_audio_transcript.delta',
        event_id: newRealtimeId('event'),
        response_id: this.record.id,
        item_id: this.record.itemId,
        output_index: 0,
        content_index: 0,
        delta,
      } satisfies ResponseAudioTranscriptDeltaEvent);
    }
  }

  // After the audio item (if any): the function call (if any), then response.done.
  #complete(): void {
    this.#timer = undefined;
    const call = this.record.toolCall;
    if (call) {
      this.#functionCallItem = sendFunctionCall(
        call,
        {
          responseId: this.record.id,
          outputIndex: this.record.hasAudioItem ? 1 : 0,
          argumentDeltas: this.#plan.argumentDeltas,
        },
        this.#hooks,
      );
      call.status = 'sent';
      call.sentAt = wallClockMs();
    }
    this.#finishResponse('completed');
  }

  // The closing sequence is the same for completed and cancelled responses, as on the real server.
  #finishAudioItem(status: 'completed' | 'cancelled'): void {
    const { id, itemId } = this.record;
    const transcript = this.record.transcriptSent;
    const ids = { response_id: id, item_id: itemId, output_index: 0, content_index: 0 };
    this.#hooks.send({
      type: 'response.output_audio.done',
      event_id: newRealtimeId('event'),
      ...ids,
    } satisfies ResponseAudioDoneEvent);
    this.#hooks.send({
      type: 'response.output_audio_transcript.done',
      event_id: newRealtimeId('event'),
      ...ids,
      transcript,
    } satisfies ResponseAudioTranscriptDoneEvent);
    this.#hooks.send({
      type: 'response.content_part.done',
      event_id: newRealtimeId('event'),
      ...ids,
      part: { type: 'audio', transcript },
    } satisfies ResponseContentPartDoneEvent);
    const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
    const content: RealtimeConversationItemAssistantMessage.Content[] = [
      { type: 'output_audio', transcript },
    ];
    this.#hooks.send({
      type: 'response.output_item.done',
      event_id: newRealtimeId('event'),
      response_id: id,
      output_index: 0,
      item: this.#item(itemStatus, content),
    } satisfies ResponseOutputItemDoneEvent);
    this.#hooks.send({
      type: 'conversation.item.done',
      event_id: newRealtimeId('event'),
      previous_item_id: this.#plan.previousItemId,
      item: this.#item(itemStatus, content),
    });
    this.#audioItem = this.#item(itemStatus, content);
  }

  #finishResponse(status: 'completed' | 'cancelled'): void {
    this.record.status = status;
    this.record.doneAt = wallClockMs();
    const output: ConversationItem[] = [];
    if (this.#audioItem) output.push(this.#audioItem);
    if (this.#functionCallItem) output.push(this.#functionCallItem);
    this.#hooks.send({
      type: 'response.done',
      event_id: newRealtimeId('event'),
      response: this.#responseObject(output, this.#plan.usage(this.record)),
    } satisfies ResponseDoneEvent);
    this.#hooks.onFinished(this.record);
  }

  #item(
    status: 'in_progress' | 'completed' | 'incomplete',
    content: RealtimeConversationItemAssistantMessage.Content[],
  ): RealtimeConversationItemAssistantMessage {
    return {
      id: this.record.itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status,
      content,
    };
  }

  #responseObject(output: ConversationItem[], usage?: RealtimeResponseUsage): RealtimeResponse {
    const { status, cancelReason } = this.record;
    const response: RealtimeResponse = {
      object: 'realtime.response',
      id: this.record.id,
      status,
      output,
      conversation_id: this.#plan.conversationId,
      output_modalities: ['audio'],
      max_output_tokens: 'inf',
      audio: { output: { format: formatObject(this.record.format), voice: this.record.voice } },
      metadata: this.record.request?.metadata ?? null,
    };
    if (status === 'cancelled')
      response.status_details = { type: 'cancelled', reason: cancelReason ?? 'client_cancelled' };
    if (usage) response.usage = usage;
    return response;
  }
}

export function newResponseRecord(
  fields: Pick<
    FakeResponseRecord,
    'source' | 'format' | 'voice' | 'audio' | 'transcript' | 'request' | 'instructions'
  > &
    Partial<Pick<FakeResponseRecord, 'itemId' | 'hasAudioItem' | 'toolCall' | 'afterToolOutput'>>,
): FakeResponseRecord {
  const { itemId, hasAudioItem, ...rest } = fields;
  return {
    id: newRealtimeId('resp'),
    itemId: itemId ?? newRealtimeId('item'),
    hasAudioItem: hasAudioItem ?? true,
    status: 'in_progress',
    createdAt: wallClockMs(),
    bytesSent: 0,
    deltas: [],
    transcriptSent: '',
    ...rest,
  };
}
