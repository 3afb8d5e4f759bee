// The OpenAI Realtime (GA) wire protocol as callbridge uses it. Types come from the openai
// package; this module only decodes server frames once, checks the fields we rely on, and
// encodes the per-frame audio append without building an object for every 20 ms.
import type {
  InputAudioBufferAppendEvent,
  RealtimeClientEvent,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime';

export type { RealtimeClientEvent, RealtimeServerEvent };

/** Server events a call has no use for; naming them keeps an event type new to the package visible. */
const IGNORED_SERVER_EVENT_TYPES = [
  'session.created',
  'session.updated',
  'conversation.created',
  'conversation.item.added',
  'conversation.item.created',
  'conversation.item.deleted',
  'conversation.item.done',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.segment',
  'conversation.item.retrieved',
  'conversation.item.truncated',
  'input_audio_buffer.cleared',
  'input_audio_buffer.committed',
  'input_audio_buffer.dtmf_event_received',
  'input_audio_buffer.timeout_triggered',
  'output_audio_buffer.cleared',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'rate_limits.updated',
  'response.content_part.added',
  'response.content_part.done',
  'response.function_call_arguments.delta',
  'response.output_audio_transcript.delta',
  'response.output_item.added',
  'response.output_item.done',
  'response.output_text.delta',
  'mcp_list_tools.completed',
  'mcp_list_tools.failed',
  'mcp_list_tools.in_progress',
  'response.mcp_call.completed',
  'response.mcp_call.failed',
  'response.mcp_call.in_progress',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
] as const satisfies readonly RealtimeServerEvent['type'][];

export type IgnoredServerEvent = Extract<
  RealtimeServerEvent,
  { type: (typeof IGNORED_SERVER_EVENT_TYPES)[number] }
>;

const IGNORED_TYPES: ReadonlySet<string> = new Set(IGNORED_SERVER_EVENT_TYPES);

export function isIgnoredServerEvent(event: RealtimeServerEvent): event is IgnoredServerEvent {
  return IGNORED_TYPES.has(event.type);
}

/** Error codes that only mean a race already resolved itself (e.g. the server auto-cancelled). */
const BENIGN_ERROR_CODES: ReadonlySet<string> = new Set(['response_cancel_not_active']);

export function isBenignErrorCode(code: string | null | undefined): boolean {
  return code != null && BENIGN_ERROR_CODES.has(code);
}

export type ServerEventDecodeFailure = 'invalid_json' | 'not_an_event' | 'missing_fields';

export type DecodedServerEvent =
  | { ok: true; event: RealtimeServerEvent }
  | { ok: false; failure: ServerEventDecodeFailure; type?: string };

// Maps, not object literals: a type such as "constructor" must not find Object.prototype's.
/** Fields that must be strings for the events whose contents callbridge acts on. */
const REQUIRED_STRING_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['response.output_audio.delta', ['delta', 'item_id', 'response_id']],
  ['response.output_audio.done', ['item_id', 'response_id']],
  ['response.output_audio_transcript.done', ['transcript', 'item_id']],
  ['response.output_text.done', ['text', 'response_id']],
  ['response.function_call_arguments.done', ['call_id', 'name', 'arguments', 'response_id']],
  ['conversation.item.input_audio_transcription.completed', ['transcript', 'item_id']],
  ['input_audio_buffer.speech_started', ['item_id']],
  ['input_audio_buffer.speech_stopped', ['item_id']],
]);

const REQUIRED_OBJECT_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['response.created', ['response']],
  ['response.done', ['response']],
  ['session.created', ['session']],
  ['session.updated', ['session']],
  ['error', ['error']],
]);

export function decodeServerEvent(raw: string): DecodedServerEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, failure: 'invalid_json' };
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    return { ok: false, failure: 'not_an_event' };
  }
  const record = value as Record<string, unknown>;
  const type = record['type'] as string;
  for (const field of REQUIRED_STRING_FIELDS.get(type) ?? []) {
    if (typeof record[field] !== 'string') return { ok: false, failure: 'missing_fields', type };
  }
  for (const field of REQUIRED_OBJECT_FIELDS.get(type) ?? []) {
    if (typeof record[field] !== 'object' || record[field] === null) {
      return { ok: false, failure: 'missing_fields', type };
    }
  }
  // Unknown types pass through: the session logs them once and ignores them.
  return { ok: true, event: value as RealtimeServerEvent };
}

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_SUFFIX = '"}';

/** input_audio_buffer.append for one frame; base64 needs no JSON escaping. */
export function encodeAudioAppend(base64Audio: string): string {
  return APPEND_PREFIX + base64Audio + APPEND_SUFFIX;
}

/** The typed shape encodeAudioAppend produces, for tests. */
export type EncodedAudioAppend = InputAudioBufferAppendEvent;
