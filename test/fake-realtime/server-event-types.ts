import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';

// Typed as a Record so this list must name exactly the SDK's server event types.
export const serverEventTypes: Record<RealtimeServerEvent['type'], true> = {
  'conversation.created': true,
  'conversation.item.created': true,
  'conversation.item.deleted': true,
  'conversation.item.input_audio_transcription.completed': true,
  'conversation.item.input_audio_transcription.delta': true,
  'conversation.item.input_audio_transcription.failed': true,
  'conversation.item.retrieved': true,
  'conversation.item.truncated': true,
  error: true,
  'input_audio_buffer.cleared': true,
  'input_audio_buffer.committed': true,
  'input_audio_buffer.dtmf_event_received': true,
  'input_audio_buffer.speech_started': true,
  'input_audio_buffer.speech_stopped': true,
  'rate_limits.updated': true,
  'response.output_audio.delta': true,
  'response.output_audio.done': true,
  'response.output_audio_transcript.delta': true,
  'response.output_audio_transcript.done': true,
  'response.content_part.added': true,
  'response.content_part.done': true,
  'response.created': true,
  'response.done': true,
  'response.function_call_arguments.delta': true,
  'response.function_call_arguments.done': true,
  'response.output_item.added': true,
  'response.output_item.done': true,
  'response.output_text.delta': true,
  'response.output_text.done': true,
  'session.created': true,
  'session.updated': true,
  'output_audio_buffer.started': true,
  'output_audio_buffer.stopped': true,
  'output_audio_buffer.cleared': true,
  'conversation.item.added': true,
  'conversation.item.done': true,
  'input_audio_buffer.timeout_triggered': true,
  'conversation.item.input_audio_transcription.segment': true,
  'mcp_list_tools.in_progress': true,
  'mcp_list_tools.completed': true,
  'mcp_list_tools.failed': true,
  'response.mcp_call_arguments.delta': true,
  'response.mcp_call_arguments.done': true,
  'response.mcp_call.in_progress': true,
  'response.mcp_call.completed': true,
  'response.mcp_call.failed': true,
};

/** True when `event` has one of the SDK's server event types and an `event_…` id. */
export function isGaServerEvent(event: { type: string; event_id?: unknown }): boolean {
  return (
    Object.hasOwn(serverEventTypes, event.type) &&
    typeof event.event_id === 'string' &&
    event.event_id.startsWith('event_')
  );
}
