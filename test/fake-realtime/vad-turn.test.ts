import { describe, expect, it } from 'vitest';
import { defaultReplyAudio, silenceAudio, toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithClient } from './fake-realtime-fixture.ts';

// 500 ms of μ-law silence, 600 ms of a 300 Hz tone, then 800 ms of silence.
function callerTurn(): Buffer {
  return Buffer.concat([
    silenceAudio('audio/pcmu', 500),
    toneAudio('audio/pcmu', [{ hz: 300, ms: 600 }], { amplitude: 0.25 }),
    silenceAudio('audio/pcmu', 800),
  ]);
}

const streamingDeltaTypes = new Set([
  'response.output_audio.delta',
  'response.output_audio_transcript.delta',
]);

describe('fake realtime server VAD turn', () => {
  it('detects a tone-then-silence caller turn in audio time and answers with a full response', async () => {
    const { client, session } = await startWithClient({ replyTranscript: 'Hi there, how can I help?' });
    await client.useG711('audio/pcmu', {});
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } } },
    });
    await client.waitForCount('session.updated', 2);

    client.appendAudio(callerTurn());
    const done = await client.waitForEvent('response.done');

    const started = client.ofType('input_audio_buffer.speech_started')[0]!;
    const stopped = client.ofType('input_audio_buffer.speech_stopped')[0]!;
    // Speech begins at 500 ms; prefix_padding_ms (300) is subtracted.
    expect(started.audio_start_ms).toBeGreaterThanOrEqual(180);
    expect(started.audio_start_ms).toBeLessThanOrEqual(220);
    // Speech ends at 1100 ms; the end time includes silence_duration_ms (200).
    expect(stopped.audio_end_ms).toBeGreaterThanOrEqual(1280);
    expect(stopped.audio_end_ms).toBeLessThanOrEqual(1340);
    expect(stopped.item_id).toBe(started.item_id);

    const order = client.events
      .map((e) => e.event.type)
      .filter(
        (type) => !streamingDeltaTypes.has(type) && type !== 'session.created' && type !== 'session.updated',
      );
    expect(order).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      'conversation.item.input_audio_transcription.completed',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    expect(client.ofType('input_audio_buffer.committed')[0]?.item_id).toBe(started.item_id);
    expect(client.ofType('conversation.item.input_audio_transcription.completed')[0]).toMatchObject({
      item_id: started.item_id,
      content_index: 0,
      transcript: 'Hello, I would like to check my appointment.',
    });

    const deltas = client.ofType('response.output_audio.delta');
    const replyBytes = Buffer.concat(deltas.map((d) => Buffer.from(d.delta, 'base64')));
    expect(replyBytes.equals(defaultReplyAudio('audio/pcmu'))).toBe(true);
    expect(replyBytes.length).toBe(12000);
    expect(deltas.every((d) => Buffer.from(d.delta, 'base64').length <= 800)).toBe(true);
    const created = client.ofType('response.created')[0]!;
    expect(deltas.every((d) => d.response_id === created.response.id && d.output_index === 0)).toBe(true);

    // Bursts: 1.5 s of audio arrives far faster than real time.
    const record = session.responses[0]!;
    expect(record.deltas).toHaveLength(15);
    expect(record.deltas.at(-1)!.at - record.firstDeltaAt!).toBeLessThan(750);
    expect(record.source).toBe('vad');

    expect(done.response.status).toBe('completed');
    expect(done.response.output?.[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_audio', transcript: 'Hi there, how can I help?' }],
    });
    const usage = done.response.usage!;
    expect(usage.output_token_details).toEqual({ audio_tokens: 30, text_tokens: 7 });
    expect(usage.input_token_details?.audio_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe((usage.input_tokens ?? 0) + (usage.output_tokens ?? 0));
    const transcript = client
      .ofType('response.output_audio_transcript.delta')
      .map((d) => d.delta)
      .join('');
    expect(transcript).toBe('Hi there, how can I help?');
    expect(session.vadEvents.map((v) => v.type)).toEqual(['speech_started', 'speech_stopped']);
  });

  it('decodes A-law input and encodes A-law replies', async () => {
    const { client } = await startWithClient();
    await client.useG711('audio/pcma');
    client.appendAudio(
      Buffer.concat([
        toneAudio('audio/pcma', [{ hz: 500, ms: 400 }], { amplitude: 0.25 }),
        silenceAudio('audio/pcma', 400),
      ]),
    );
    await client.waitForEvent('response.done');
    const started = client.ofType('input_audio_buffer.speech_started')[0]!;
    expect(started.audio_start_ms).toBe(0);
    const reply = Buffer.concat(
      client.ofType('response.output_audio.delta').map((d) => Buffer.from(d.delta, 'base64')),
    );
    expect(reply.equals(defaultReplyAudio('audio/pcma'))).toBe(true);
  });

  it('treats input as 24 kHz PCM16 while the session format is still audio/pcm', async () => {
    const { client } = await startWithClient();
    client.appendAudio(
      Buffer.concat([toneAudio('audio/pcm', [{ hz: 300, ms: 300 }]), silenceAudio('audio/pcm', 400)]),
      960,
    );
    const stopped = await client.waitForEvent('input_audio_buffer.speech_stopped');
    expect(stopped.audio_end_ms).toBeGreaterThanOrEqual(480);
    expect(stopped.audio_end_ms).toBeLessThanOrEqual(540);
  });
});
