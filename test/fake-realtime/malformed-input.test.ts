import { describe, expect, it } from 'vitest';
import { startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime server malformed client input', () => {
  it('answers malformed JSON with an invalid_request_error and keeps the session open', async () => {
    const { client, session } = await startWithClient();
    client.sendRaw('{"type": "session.update", ');
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_json',
      event_id: null,
    });
    expect(session.received[0]).toMatchObject({
      raw: '{"type": "session.update", ',
      event: { type: 'fake.unrecognized', reason: 'malformed_json' },
    });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitForEvent('input_audio_buffer.cleared');
  });

  it('answers an unknown event type with an error naming it', async () => {
    const { client, session } = await startWithClient();
    client.sendRaw(JSON.stringify({ type: 'response.audio.delta', event_id: 'evt_unknown' }));
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'type', event_id: 'evt_unknown' });
    expect(error.error.message).toContain("'response.audio.delta'");
    expect(session.received[0]?.event).toMatchObject({ type: 'fake.unrecognized', reason: 'unknown_type' });
  });

  it('answers a message without a type with missing_required_parameter', async () => {
    const { client } = await startWithClient();
    client.sendRaw('[]');
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({ code: 'missing_required_parameter', param: 'type' });
  });

  it('rejects an append whose audio is not base64', async () => {
    const { client, session } = await startWithClient();
    client.sendRaw(JSON.stringify({ type: 'input_audio_buffer.append', audio: 'not base64!' }));
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'audio' });
    expect(session.appends).toHaveLength(0);
  });

  it('rejects committing an input buffer shorter than 100 ms', async () => {
    const { client } = await startWithClient();
    await client.useG711('audio/pcmu');
    client.appendAudio(Buffer.alloc(400, 0xff));
    client.send({ type: 'input_audio_buffer.commit' });
    const error = await client.waitForEvent('error');
    expect(error.error.code).toBe('input_audio_buffer_commit_empty');
  });
});
