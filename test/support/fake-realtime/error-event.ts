import type { RealtimeErrorEvent } from 'openai/resources/realtime/realtime';
import { newRealtimeId } from './realtime-ids.ts';
import { isRecord } from './session-config.ts';

export interface ErrorEventFields {
  /** Defaults to invalid_request_error, the type the real server uses for client mistakes. */
  type?: string;
  code: string | null;
  message: string;
  param?: string | null;
  /** The event_id of the client event that caused the error, if it had one. */
  clientEventId?: string | null;
}

export function errorEvent(fields: ErrorEventFields): RealtimeErrorEvent {
  return {
    type: 'error',
    event_id: newRealtimeId('event'),
    error: {
      type: fields.type ?? 'invalid_request_error',
      code: fields.code,
      message: fields.message,
      param: fields.param ?? null,
      event_id: fields.clientEventId ?? null,
    },
  } satisfies RealtimeErrorEvent;
}

export function clientEventIdOf(event: unknown): string | null {
  return isRecord(event) && typeof event.event_id === 'string' ? event.event_id : null;
}
