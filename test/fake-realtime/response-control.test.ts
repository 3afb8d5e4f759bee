import { describe, expect, it } from 'vitest';
import { startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime server response control', () => {
  it('answers response.cancel with no active response with response_cancel_not_active', async () => {
    const { client } = await startWithClient();
    client.send({ type: 'response.cancel', event_id: 'evt_cancel_1' });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'response_cancel_not_active',
      event_id: 'evt_cancel_1',
    });
  });

  it('stops streaming on response.cancel and reports the response as cancelled', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 40 });
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    const first = await client.waitForEvent('response.output_audio.delta');
    client.send({ type: 'response.cancel', response_id: first.response_id });
    const done = await client.waitForEvent('response.done');
    expect(done.response).toMatchObject({
      id: first.response_id,
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    expect(session.responses[0]?.cancelReason).toBe('client_cancelled');
    expect(session.activeResponse).toBeUndefined();
  });

  it('refuses a second response.create while one is active', async () => {
    const { client, session } = await startWithClient({ firstAudioDelayMs: 200 });
    client.send({ type: 'response.create' });
    client.send({ type: 'response.create', event_id: 'evt_second' });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({
      code: 'conversation_already_has_active_response',
      event_id: 'evt_second',
    });
    expect(error.error.message).toContain(session.responses[0]!.id);
    expect(session.responses).toHaveLength(1);
  });

  it('records the parameters of response.create', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 0 });
    client.send({
      type: 'response.create',
      response: { instructions: 'Greet the caller by name.', metadata: { call: 'c-1' } },
    });
    await client.waitForEvent('response.done');
    const record = session.responses[0]!;
    expect(record.instructions).toBe('Greet the caller by name.');
    expect(record.request).toMatchObject({ metadata: { call: 'c-1' } });
    expect(record.source).toBe('client');
  });

  it('waits firstAudioDelayMs before the first audio delta', async () => {
    const { client, session } = await startWithClient({ firstAudioDelayMs: 150, deltaIntervalMs: 0 });
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.done');
    const record = session.responses[0]!;
    expect(record.firstDeltaAt! - record.createdAt).toBeGreaterThanOrEqual(145);
  });
});
