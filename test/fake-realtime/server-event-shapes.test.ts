import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { silenceAudio, toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithClient } from './fake-realtime-fixture.ts';

// Typed as a Record so this list must name exactly the SDK's server event types.
const serverEventTypes: Record<RealtimeServerEvent['type'], true> = {
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

describe('fake realtime server events', () => {
  it('sends only GA server event types, each with an event_id, exactly as recorded', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 1 });
    await client.useG711('audio/pcmu', {
      audio: {
        input: { format: { type: 'audio/pcmu' }, transcription: { model: 'whisper-1' } },
        output: { format: { type: 'audio/pcmu' } },
      },
    });
    client.appendAudio(
      Buffer.concat([toneAudio('audio/pcmu', [{ hz: 300, ms: 300 }]), silenceAudio('audio/pcmu', 300)]),
    );
    const done = await client.waitForEvent('response.done');
    const itemId = done.response.output![0]!.id!;
    client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 500 });
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] },
    });
    const added = await client.waitForEvent(
      'conversation.item.added',
      (e) => e.item.type === 'message' && e.item.role === 'user' && e.item.content[0]?.type === 'input_text',
    );
    client.send({ type: 'conversation.item.retrieve', item_id: added.item.id! });
    client.send({ type: 'conversation.item.delete', item_id: added.item.id! });
    client.send({ type: 'response.cancel' });
    client.send({ type: 'input_audio_buffer.clear' });
    client.send({ type: 'output_audio_buffer.clear' });
    client.send({ type: 'response.create' });
    await client.waitForCount('response.done', 2);
    session.sendError({ type: 'server_error', code: null, message: 'injected' });
    await client.waitForEvent('error', (e) => e.error.message === 'injected');

    expect(session.sent.length).toBeGreaterThan(40);
    for (const { event } of session.sent) {
      expect(Object.hasOwn(serverEventTypes, event.type), event.type).toBe(true);
      expect(
        'event_id' in event && typeof event.event_id === 'string' && event.event_id.startsWith('event_'),
      ).toBe(true);
    }
    expect(client.events.map((e) => e.event)).toEqual(session.sent.map((s) => s.event));
    const types = new Set(session.sent.map((s) => s.event.type));
    for (const type of [
      'conversation.item.truncated',
      'conversation.item.retrieved',
      'conversation.item.deleted',
      'input_audio_buffer.cleared',
      'conversation.item.input_audio_transcription.completed',
    ] as const) {
      expect(types.has(type), type).toBe(true);
    }
    expect(session.receivedOfType('output_audio_buffer.clear')).toHaveLength(1);
  });
});
