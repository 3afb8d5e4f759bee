import type {
  ConversationItem,
  ConversationItemCreateEvent,
  ConversationItemDeleteEvent,
  ConversationItemRetrieveEvent,
  ConversationItemTruncatedEvent,
  ConversationItemTruncateEvent,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime';
import { durationMs } from './audio-format.ts';
import {
  clientItemError,
  type TextItemRecord,
  type ToolOutputRecord,
  textItemRecord,
  toolOutputRecord,
} from './client-items.ts';
import type { ConversationState } from './conversation-state.ts';
import { newRealtimeId } from './realtime-ids.ts';
import type { FakeResponseRecord } from './response-streamer.ts';
import {
  invalidType,
  isRecord,
  missingParameter,
  numberRange,
  type RealtimeParamError,
} from './session-config.ts';

export interface TruncationRecord {
  at: number;
  itemId: string;
  contentIndex: number;
  audioEndMs: number;
  accepted: boolean;
  /** Milliseconds of audio the item had when the truncate arrived. */
  itemAudioMs: number;
}

export interface ConversationEventContext {
  conversation: ConversationState;
  responses: readonly FakeResponseRecord[];
  truncations: TruncationRecord[];
  toolOutputs: ToolOutputRecord[];
  textItems: TextItemRecord[];
  /** After an accepted function_call_output has been added (and announced). */
  onToolOutput(record: ToolOutputRecord): void;
  send(event: RealtimeServerEvent): void;
}

type ConversationClientEvent =
  | ConversationItemCreateEvent
  | ConversationItemDeleteEvent
  | ConversationItemRetrieveEvent
  | ConversationItemTruncateEvent;

// conversation.item.* client events; returns the error to report, if any. Fields are checked at run
// time: clients can send anything.
export function handleConversationEvent(
  event: ConversationClientEvent,
  at: number,
  ctx: ConversationEventContext,
): RealtimeParamError | undefined {
  switch (event.type) {
    case 'conversation.item.create':
      return createItem(event, at, ctx);
    case 'conversation.item.delete': {
      const itemId: unknown = event.item_id;
      if (typeof itemId !== 'string') return missingParameter('item_id');
      if (!ctx.conversation.delete(itemId)) return itemNotFound(itemId);
      ctx.send({ type: 'conversation.item.deleted', event_id: newRealtimeId('event'), item_id: itemId });
      return undefined;
    }
    case 'conversation.item.retrieve': {
      const itemId: unknown = event.item_id;
      if (typeof itemId !== 'string') return missingParameter('item_id');
      const entry = ctx.conversation.get(itemId);
      if (!entry) return itemNotFound(itemId);
      ctx.send({ type: 'conversation.item.retrieved', event_id: newRealtimeId('event'), item: entry.item });
      return undefined;
    }
    case 'conversation.item.truncate':
      return truncateItem(event, at, ctx);
  }
}

function createItem(
  event: ConversationItemCreateEvent,
  at: number,
  ctx: ConversationEventContext,
): RealtimeParamError | undefined {
  const item: unknown = event.item;
  if (!isRecord(item)) return missingParameter('item');
  if (typeof item.type !== 'string') return missingParameter('item.type');
  if (typeof item.id === 'string' && ctx.conversation.has(item.id)) {
    return {
      code: 'invalid_value',
      message: `Item with id '${item.id}' already exists.`,
      param: 'item.id',
    };
  }
  const isToolOutput = item.type === 'function_call_output';
  const itemError = clientItemError(item, ctx.conversation);
  if (itemError) {
    if (isToolOutput) ctx.toolOutputs.push(toolOutputRecord(at, item, undefined, ctx.conversation));
    return itemError;
  }
  const { entry, previousItemId } = ctx.conversation.add(
    structuredClone(item) as unknown as ConversationItem,
  );
  const done = { ...entry.item, status: 'completed' } as ConversationItem;
  ctx.send({
    type: 'conversation.item.added',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item: entry.item,
  });
  ctx.send({
    type: 'conversation.item.done',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item: done,
  });
  const textItem = textItemRecord(at, entry.item);
  if (textItem) ctx.textItems.push(textItem);
  if (isToolOutput) {
    const record = toolOutputRecord(at, item, entry.id, ctx.conversation);
    ctx.toolOutputs.push(record);
    ctx.onToolOutput(record);
  }
  return undefined;
}

function truncateItem(
  event: ConversationItemTruncateEvent,
  at: number,
  ctx: ConversationEventContext,
): RealtimeParamError | undefined {
  const itemId: unknown = event.item_id;
  const contentIndex: unknown = event.content_index;
  const audioEndMs: unknown = event.audio_end_ms;
  if (typeof itemId !== 'string') return missingParameter('item_id');
  if (contentIndex === undefined) return missingParameter('content_index');
  if (audioEndMs === undefined) return missingParameter('audio_end_ms');
  if (typeof contentIndex !== 'number') return invalidType('content_index', 'an integer', contentIndex);
  if (typeof audioEndMs !== 'number' || !Number.isInteger(audioEndMs)) {
    return invalidType('audio_end_ms', 'an integer', audioEndMs);
  }
  const response = ctx.responses.find((r) => r.itemId === itemId);
  const itemAudioMs = response ? durationMs(response.format, response.bytesSent) : 0;
  const record = (accepted: boolean) =>
    ctx.truncations.push({ at, itemId, contentIndex, audioEndMs, accepted, itemAudioMs });
  const rejection = truncateRejection(ctx, itemId, contentIndex, audioEndMs, itemAudioMs);
  if (rejection) {
    record(false);
    return rejection;
  }
  record(true);
  ctx.send({
    type: 'conversation.item.truncated',
    event_id: newRealtimeId('event'),
    item_id: itemId,
    content_index: contentIndex,
    audio_end_ms: audioEndMs,
  } satisfies ConversationItemTruncatedEvent);
  return undefined;
}

function truncateRejection(
  ctx: ConversationEventContext,
  itemId: string,
  contentIndex: number,
  audioEndMs: number,
  itemAudioMs: number,
): RealtimeParamError | undefined {
  const belowZero = numberRange('audio_end_ms', audioEndMs, 0, Number.MAX_SAFE_INTEGER, 'integer');
  if (belowZero) return belowZero;
  const entry = ctx.conversation.get(itemId);
  if (!entry) return itemNotFound(itemId);
  if (entry.item.type !== 'message' || entry.item.role !== 'assistant') {
    return { code: 'invalid_value', message: 'Only assistant messages can be truncated.', param: 'item_id' };
  }
  if (contentIndex !== 0) {
    return {
      code: 'invalid_value',
      message: `Invalid content_index: ${contentIndex}.`,
      param: 'content_index',
    };
  }
  if (audioEndMs > itemAudioMs) {
    return {
      code: 'invalid_value',
      message: `Audio content of ${Math.floor(itemAudioMs)}ms is already shorter than ${audioEndMs}ms`,
      param: 'audio_end_ms',
    };
  }
  return undefined;
}

function itemNotFound(itemId: string): RealtimeParamError {
  return { code: 'invalid_value', message: `Item with item_id '${itemId}' not found.`, param: 'item_id' };
}
