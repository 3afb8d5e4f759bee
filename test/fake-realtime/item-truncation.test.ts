import { describe, expect, it } from 'vitest';
import { startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime server conversation.item.truncate', () => {
  it('accepts a truncation within the audio sent and echoes it', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    const done = await client.waitForEvent('response.done');
    const itemId = done.response.output![0]!.id!;
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 1000,
    });
    const truncated = await client.waitForEvent('conversation.item.truncated');
    expect(truncated).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 1000 });
    expect(session.truncations).toEqual([
      expect.objectContaining({ itemId, audioEndMs: 1000, accepted: true, itemAudioMs: 1500 }),
    ]);
  });

  it('rejects a truncation past the end of the audio', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    const done = await client.waitForEvent('response.done');
    const itemId = done.response.output![0]!.id!;
    client.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_trunc',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 2000,
    });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: 'audio_end_ms',
      event_id: 'evt_trunc',
      message: 'Audio content of 1500ms is already shorter than 2000ms',
    });
    expect(session.truncations[0]).toMatchObject({ accepted: false, audioEndMs: 2000 });
  });

  it('rejects a truncation of an unknown item', async () => {
    const { client } = await startWithClient();
    client.send({
      type: 'conversation.item.truncate',
      item_id: 'item_nope',
      content_index: 0,
      audio_end_ms: 0,
    });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'item_id' });
  });

  it('measures a streaming item by the audio sent so far', async () => {
    const { client } = await startWithClient({ deltaIntervalMs: 50 });
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    const first = await client.waitForEvent('response.output_audio.delta');
    client.send({
      type: 'conversation.item.truncate',
      item_id: first.item_id,
      content_index: 0,
      audio_end_ms: 100,
    });
    client.send({
      type: 'conversation.item.truncate',
      item_id: first.item_id,
      content_index: 0,
      audio_end_ms: 1400,
    });
    await client.waitForEvent('conversation.item.truncated');
    const error = await client.waitForEvent('error');
    expect(error.error.param).toBe('audio_end_ms');
  });
});
