import type {
  RealtimeConversationItemAssistantMessage,
  RealtimeResponse,
  RealtimeResponseCreateParams,
  RealtimeResponseUsage,
  RealtimeServerEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseDoneEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
} from 'openai/resources/realtime/realtime';
import { newRealtimeId } from './realtime-ids.ts';
import type { CancelReason, ResponseStatus } from './response-streamer.ts';
import type { TimerSet } from './timer-set.ts';
import { wallClockMs } from './wall-clock.ts';

export interface TextResponseRecord {
  id: string;
  itemId: string;
  /** conversation: 'none': nothing is written to the conversation and others may run meanwhile. */
  outOfBand: boolean;
  status: ResponseStatus;
  cancelReason?: CancelReason;
  createdAt: number;
  doneAt?: number;
  /** The whole text planned for this response (the textReply option's answer). */
  text: string;
  textSent: string;
  instructions: string | undefined;
  /** As the client sent it, echoed in response.created/done. */
  metadata: Record<string, string> | null;
  request: RealtimeResponseCreateParams;
  /** The call_id of the function_call_output added since the previous response (in-band only). */
  afterToolOutput?: string;
}

export interface TextResponsePlan {
  deltaIntervalMs: number;
  /** The default conversation's id and this item's previous_item_id; undefined out of band. */
  conversation: { id: string; previousItemId: string | null } | undefined;
  usage(record: TextResponseRecord): RealtimeResponseUsage;
}

export interface TextResponseHooks {
  send(event: RealtimeServerEvent): void;
  timers: TimerSet;
  onFinished(record: TextResponseRecord): void;
}

// Streams one text-only response (output_modalities ['text'], or an out-of-band response): a
// single assistant message with output_text content, a word or so per delta.
export class TextResponseStreamer {
  readonly record: TextResponseRecord;
  readonly #plan: TextResponsePlan;
  readonly #hooks: TextResponseHooks;
  readonly #chunks: string[];
  #chunksSent = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(record: TextResponseRecord, plan: TextResponsePlan, hooks: TextResponseHooks) {
    this.record = record;
    this.#plan = plan;
    this.#hooks = hooks;
    this.#chunks = record.text.match(/\S+\s*/g) ?? [];
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
    this.#hooks.send({
      type: 'response.output_item.added',
      event_id: newRealtimeId('event'),
      response_id: id,
      output_index: 0,
      item: this.#item('in_progress', []),
    } satisfies ResponseOutputItemAddedEvent);
    if (this.#plan.conversation) {
      this.#hooks.send({
        type: 'conversation.item.added',
        event_id: newRealtimeId('event'),
        previous_item_id: this.#plan.conversation.previousItemId,
        item: this.#item('in_progress', []),
      });
    }
    this.#hooks.send({
      type: 'response.content_part.added',
      event_id: newRealtimeId('event'),
      response_id: id,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { type: 'text', text: '' },
    } satisfies ResponseContentPartAddedEvent);
    this.#timer = this.#hooks.timers.set(() => this.#sendNextDelta(), this.#plan.deltaIntervalMs);
  }

  cancel(reason: CancelReason): void {
    if (!this.active) return;
    this.#hooks.timers.clear(this.#timer);
    this.#timer = undefined;
    this.record.cancelReason = reason;
    this.#finish('cancelled');
  }

  /** Stops without sending anything more (the connection is gone). */
  abandon(): void {
    this.#hooks.timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.active) {
      this.record.status = 'cancelled';
      this.record.doneAt = wallClockMs();
    }
  }

  #sendNextDelta(): void {
    this.#timer = undefined;
    if (!this.active) return;
    const delta = this.#chunks[this.#chunksSent++];
    if (delta !== undefined) {
      this.record.textSent += delta;
      this.#hooks.send({
        type: 'response.output_text.delta',
        event_id: newRealtimeId('event'),
        response_id: this.record.id,
        item_id: this.record.itemId,
        output_index: 0,
        content_index: 0,
        delta,
      } satisfies ResponseTextDeltaEvent);
    }
    if (this.#chunksSent >= this.#chunks.length) {
      this.#finish('completed');
      return;
    }
    this.#timer = this.#hooks.timers.set(() => this.#sendNextDelta(), this.#plan.deltaIntervalMs);
  }

  #finish(status: 'completed' | 'cancelled'): void {
    const { id, itemId } = this.record;
    const text = this.record.textSent;
    const ids = { response_id: id, item_id: itemId, output_index: 0, content_index: 0 };
    this.#hooks.send({
      type: 'response.output_text.done',
      event_id: newRealtimeId('event'),
      ...ids,
      text,
    } satisfies ResponseTextDoneEvent);
    this.#hooks.send({
      type: 'response.content_part.done',
      event_id: newRealtimeId('event'),
      ...ids,
      part: { type: 'text', text },
    } satisfies ResponseContentPartDoneEvent);
    const item = this.#item(status === 'completed' ? 'completed' : 'incomplete', [
      { type: 'output_text', text },
    ]);
    this.#hooks.send({
      type: 'response.output_item.done',
      event_id: newRealtimeId('event'),
      response_id: id,
      output_index: 0,
      item,
    } satisfies ResponseOutputItemDoneEvent);
    if (this.#plan.conversation) {
      this.#hooks.send({
        type: 'conversation.item.done',
        event_id: newRealtimeId('event'),
        previous_item_id: this.#plan.conversation.previousItemId,
        item,
      });
    }
    this.record.status = status;
    this.record.doneAt = wallClockMs();
    this.#hooks.send({
      type: 'response.done',
      event_id: newRealtimeId('event'),
      response: this.#responseObject([item], this.#plan.usage(this.record)),
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

  // The real server reports conversation_id null out of band; the SDK types it as string, so the
  // fake leaves the field out there.
  #responseObject(
    output: RealtimeConversationItemAssistantMessage[],
    usage?: RealtimeResponseUsage,
  ): RealtimeResponse {
    const { status, cancelReason } = this.record;
    const response: RealtimeResponse = {
      object: 'realtime.response',
      id: this.record.id,
      status,
      output,
      output_modalities: ['text'],
      max_output_tokens: this.record.request.max_output_tokens ?? 'inf',
      metadata: this.record.metadata,
    };
    if (this.#plan.conversation) response.conversation_id = this.#plan.conversation.id;
    if (status === 'cancelled')
      response.status_details = { type: 'cancelled', reason: cancelReason ?? 'client_cancelled' };
    if (usage) response.usage = usage;
    return response;
  }
}

export function newTextResponseRecord(
  fields: Pick<TextResponseRecord, 'outOfBand' | 'text' | 'instructions' | 'request' | 'afterToolOutput'>,
): TextResponseRecord {
  return {
    id: newRealtimeId('resp'),
    itemId: newRealtimeId('item'),
    status: 'in_progress',
    createdAt: wallClockMs(),
    textSent: '',
    metadata: fields.request.metadata ?? null,
    ...fields,
  };
}
