import { describe, expect, it } from 'vitest';
import { silenceAudio, toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithClient } from './fake-realtime-fixture.ts';
import { serverEventTypes } from './server-event-types.ts';

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
