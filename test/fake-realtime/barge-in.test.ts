import { describe, expect, it } from 'vitest';
import { silenceAudio, toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithClient } from './fake-realtime-fixture.ts';

const speech = (): Buffer => toneAudio('audio/pcmu', [{ hz: 300, ms: 200 }], { amplitude: 0.25 });

describe('fake realtime server barge-in', () => {
  it('cancels the active response when the caller starts speaking', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 40 });
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.output_audio.delta');

    client.appendAudio(speech());
    const done = await client.waitForEvent('response.done');
    expect(done.response.status).toBe('cancelled');
    expect(done.response.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    expect(done.response.output?.[0]).toMatchObject({ status: 'incomplete' });

    const types = client.events.map((e) => e.event.type);
    expect(types.indexOf('input_audio_buffer.speech_started')).toBeLessThan(types.indexOf('response.done'));
    const record = session.responses[0]!;
    expect(record.status).toBe('cancelled');
    expect(record.cancelReason).toBe('turn_detected');
    expect(record.bytesSent).toBeLessThan(record.audio.length);
    // Streaming stopped: no audio after response.done.
    const deltasAtDone = client.ofType('response.output_audio.delta').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.ofType('response.output_audio.delta')).toHaveLength(deltasAtDone);
  });

  it('answers the interrupting turn with a new response once the caller stops', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 40 });
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.output_audio.delta');
    client.appendAudio(Buffer.concat([speech(), silenceAudio('audio/pcmu', 300)]));
    await client.waitForCount('response.created', 2);
    expect(session.responses.map((r) => [r.source, r.status])).toEqual([
      ['client', 'cancelled'],
      ['vad', 'in_progress'],
    ]);
  });

  it('keeps streaming through caller speech when interrupt_response is false', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 10 });
    await client.useG711('audio/pcmu', {
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          turn_detection: { type: 'server_vad', interrupt_response: false, create_response: false },
        },
        output: { format: { type: 'audio/pcmu' } },
      },
    });
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.output_audio.delta');
    client.appendAudio(speech());
    await client.waitForEvent('input_audio_buffer.speech_started');
    const done = await client.waitForEvent('response.done');
    expect(done.response.status).toBe('completed');
    expect(session.responses).toHaveLength(1);
  });
});
