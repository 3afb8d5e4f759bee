import type { RealtimeAudioInputTurnDetection } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime session configuration', () => {
  it('greets a connection with session.created carrying the GA defaults', async () => {
    const { client, session } = await startWithClient();
    const created = await client.waitForEvent('session.created');
    expect(created.event_id).toMatch(/^event_/);
    expect(created.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: 200,
            create_response: true,
            interrupt_response: true,
          },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' },
      },
    });
    expect(session.config.type).toBe('realtime');
  });

  it('merges session.update into the session and answers with session.updated', async () => {
    const { client, session } = await startWithClient();
    client.send({
      type: 'session.update',
      event_id: 'evt_update_1',
      session: {
        type: 'realtime',
        instructions: 'Answer the phone politely.',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'gpt-4o-transcribe' },
            turn_detection: { type: 'server_vad', silence_duration_ms: 500 },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
        },
      },
    });
    const updated = await client.waitForEvent('session.updated');
    expect(updated.session).toMatchObject({
      instructions: 'Answer the phone politely.',
      audio: {
        input: { format: { type: 'audio/pcmu' }, transcription: { model: 'gpt-4o-transcribe' } },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
      },
    });
    const turnDetection = session.config.audio?.input
      ?.turn_detection as RealtimeAudioInputTurnDetection.ServerVad;
    expect(turnDetection).toMatchObject({ type: 'server_vad', silence_duration_ms: 500, threshold: 0.5 });
    expect(session.receivedOfType('session.update')[0]?.event_id).toBe('evt_update_1');
  });

  it('turns off turn detection when session.update sets it to null', async () => {
    const { client, session } = await startWithClient();
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    await client.waitForEvent('session.updated');
    expect(session.config.audio?.input?.turn_detection).toBeNull();
  });

  it('answers an unknown audio format with an invalid_request_error naming the parameter and event', async () => {
    const { client, session } = await startWithClient();
    client.sendRaw(
      JSON.stringify({
        type: 'session.update',
        event_id: 'evt_bad_format',
        session: { type: 'realtime', audio: { input: { format: { type: 'audio/opus' } } } },
      }),
    );
    const error = await client.waitForEvent('error');
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: 'session.audio.input.format.type',
      event_id: 'evt_bad_format',
      message:
        "Invalid value: 'audio/opus'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.",
    });
    expect(session.config.audio?.input?.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(client.ofType('session.updated')).toHaveLength(0);
  });

  it('rejects a session.update without session.type and unknown parameters', async () => {
    const { client } = await startWithClient();
    client.sendRaw(JSON.stringify({ type: 'session.update', session: { instructions: 'x' } }));
    client.sendRaw(
      JSON.stringify({ type: 'session.update', session: { type: 'realtime', temperature: 0.7 } }),
    );
    const errors = await client.waitForCount('error', 2);
    expect(errors.map((e) => [e.error.code, e.error.param])).toEqual([
      ['missing_required_parameter', 'session.type'],
      ['unknown_parameter', 'session.temperature'],
    ]);
  });

  it('refuses to change the voice once the assistant has spoken', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 0 });
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.done');
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { output: { voice: 'cedar' } } },
    });
    const error = await client.waitForEvent('error');
    expect(error.error.code).toBe('cannot_update_voice');
    expect(session.config.audio?.output?.voice).toBe('alloy');
  });
});
