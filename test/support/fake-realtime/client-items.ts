import type { ConversationItem } from 'openai/resources/realtime/realtime';
import type { ConversationState } from './conversation-state.ts';
import {
  invalidType,
  invalidValue,
  isRecord,
  missingParameter,
  type RealtimeParamError,
} from './param-errors.ts';

/** A function_call_output the client sent, accepted or not. */
export interface ToolOutputRecord {
  at: number;
  /** The conversation item's id; undefined when the item was refused. */
  itemId: string | undefined;
  callId: string;
  /** The name of the function_call it answers (undefined when there is none). */
  name: string | undefined;
  /** As sent (a string, per the API). */
  output: string;
  /** `output` parsed as JSON, or the text itself when it is not JSON. */
  parsed: unknown;
  accepted: boolean;
}

/** A text message the client added (conversation.item.create), e.g. history replayed after a reconnect. */
export interface TextItemRecord {
  at: number;
  itemId: string;
  role: 'user' | 'system' | 'assistant';
  /** The input_text (or, for assistant items, output_text) parts, joined with newlines. */
  text: string;
}

// Checks the item kinds the fake understands beyond "has a type"; undefined when it may be added.
export function clientItemError(
  item: Record<string, unknown>,
  conversation: ConversationState,
): RealtimeParamError | undefined {
  if (item.type === 'function_call_output') {
    if (item.call_id === undefined) return missingParameter('item.call_id');
    if (typeof item.call_id !== 'string') return invalidType('item.call_id', 'a string', item.call_id);
    if (item.output === undefined) return missingParameter('item.output');
    if (typeof item.output !== 'string') return invalidType('item.output', 'a string', item.output);
    if (!functionCallFor(conversation, item.call_id)) {
      // The real server's wording and code for an unknown call_id.
      return {
        code: 'invalid_tool_call_id',
        message: `Tool call ID '${item.call_id}' not found in conversation.`,
        param: null,
      };
    }
    return undefined;
  }
  if (item.type === 'message') {
    const roles = ['user', 'system', 'assistant'];
    if (item.role === undefined) return missingParameter('item.role');
    if (typeof item.role !== 'string' || !roles.includes(item.role))
      return invalidValue('item.role', item.role, roles);
    if (!Array.isArray(item.content)) return invalidType('item.content', 'an array', item.content);
    if (item.role === 'system') {
      // System messages take only input_text content.
      const index = item.content.findIndex((part) => !isRecord(part) || part.type !== 'input_text');
      if (index >= 0) {
        const part: unknown = item.content[index];
        return invalidValue(`item.content[${index}].type`, isRecord(part) ? part.type : part, ['input_text']);
      }
    }
  }
  return undefined;
}

export function functionCallFor(
  conversation: ConversationState,
  callId: string,
): Extract<ConversationItem, { type: 'function_call' }> | undefined {
  for (const { item } of conversation.entries()) {
    if (item.type === 'function_call' && item.call_id === callId) return item;
  }
  return undefined;
}

export function toolOutputRecord(
  at: number,
  item: Record<string, unknown>,
  itemId: string | undefined,
  conversation: ConversationState,
): ToolOutputRecord {
  const callId = typeof item.call_id === 'string' ? item.call_id : '';
  const output = typeof item.output === 'string' ? item.output : '';
  return {
    at,
    itemId,
    callId,
    name: functionCallFor(conversation, callId)?.name,
    output,
    parsed: parseOutput(output),
    accepted: itemId !== undefined,
  };
}

/** The record for a message with text in it; undefined for anything else. */
export function textItemRecord(at: number, item: ConversationItem): TextItemRecord | undefined {
  if (item.type !== 'message') return undefined;
  const texts: string[] = [];
  for (const part of item.content) {
    const textPart = part.type === 'input_text' || part.type === 'output_text';
    if (textPart && typeof part.text === 'string') texts.push(part.text);
  }
  if (texts.length === 0 || item.id === undefined) return undefined;
  return { at, itemId: item.id, role: item.role, text: texts.join('\n') };
}

function parseOutput(output: string): unknown {
  try {
    return JSON.parse(output);
  } catch {
    return output;
  }
}
