import type {
  ConversationItem,
  RealtimeConversationItemFunctionCall,
  RealtimeServerEvent,
  ResponseFunctionCallArgumentsDeltaEvent,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
} from 'openai/resources/realtime/realtime';
import { newRealtimeId } from './realtime-ids.ts';

/** One function call the fake model made (session.callTool). */
export interface ToolCallRecord {
  /** When the test asked for the call. */
  at: number;
  responseId: string;
  itemId: string;
  callId: string;
  name: string;
  /** The arguments exactly as sent: JSON text (or whatever text the test gave). */
  arguments: string;
  /** What was said (as audio) before the call, in the same response. */
  sayFirst?: string;
  /** pending until the function_call item is sent; cancelled if its response was cancelled first. */
  status: 'pending' | 'sent' | 'cancelled';
  sentAt?: number;
}

export interface FunctionCallHooks {
  send(event: RealtimeServerEvent): void;
  /** Puts the item in the conversation; returns its previous_item_id. */
  addItem(item: ConversationItem): string | null;
  updateItem(item: ConversationItem): void;
}

export function functionCallItem(
  call: ToolCallRecord,
  status: 'in_progress' | 'completed',
): RealtimeConversationItemFunctionCall {
  return {
    id: call.itemId,
    object: 'realtime.item',
    type: 'function_call',
    status,
    name: call.name,
    call_id: call.callId,
    arguments: status === 'completed' ? call.arguments : '',
  };
}

// A function_call output item in the GA order: item added, argument deltas, arguments done, item
// done. Sent in one go: the arguments are short and nothing in between depends on timing.
export function sendFunctionCall(
  call: ToolCallRecord,
  place: { responseId: string; outputIndex: number; argumentDeltas: number },
  hooks: FunctionCallHooks,
): RealtimeConversationItemFunctionCall {
  const { responseId, outputIndex } = place;
  const added = functionCallItem(call, 'in_progress');
  const previousItemId = hooks.addItem(added);
  hooks.send({
    type: 'response.output_item.added',
    event_id: newRealtimeId('event'),
    response_id: responseId,
    output_index: outputIndex,
    item: added,
  } satisfies ResponseOutputItemAddedEvent);
  hooks.send({
    type: 'conversation.item.added',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item: added,
  });
  const ids = {
    response_id: responseId,
    item_id: call.itemId,
    output_index: outputIndex,
    call_id: call.callId,
  };
  for (const delta of splitInto(call.arguments, place.argumentDeltas)) {
    hooks.send({
      type: 'response.function_call_arguments.delta',
      event_id: newRealtimeId('event'),
      ...ids,
      delta,
    } satisfies ResponseFunctionCallArgumentsDeltaEvent);
  }
  hooks.send({
    type: 'response.function_call_arguments.done',
    event_id: newRealtimeId('event'),
    ...ids,
    name: call.name,
    arguments: call.arguments,
  } satisfies ResponseFunctionCallArgumentsDoneEvent);
  const done = functionCallItem(call, 'completed');
  hooks.updateItem(done);
  hooks.send({
    type: 'response.output_item.done',
    event_id: newRealtimeId('event'),
    response_id: responseId,
    output_index: outputIndex,
    item: done,
  } satisfies ResponseOutputItemDoneEvent);
  hooks.send({
    type: 'conversation.item.done',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item: done,
  });
  return done;
}

function splitInto(text: string, parts: number): string[] {
  if (text === '') return [];
  const size = Math.ceil(text.length / Math.max(1, Math.floor(parts)));
  const chunks: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) chunks.push(text.slice(offset, offset + size));
  return chunks;
}
