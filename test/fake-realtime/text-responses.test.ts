import type { RealtimeResponseCreateParams } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import type { TextReplyContext } from '../support/fake-realtime/fake-realtime-server.ts';
import { startWithClient } from './fake-realtime-fixture.ts';
import { isGaServerEvent } from './server-event-types.ts';

const summaryRequest: RealtimeResponseCreateParams = {
  conversation: 'none',
  output_modalities: ['text'],
  instructions: 'Summarise the call in one sentence.',
  metadata: { purpose: 'summary', call: 'c-42' },
};

describe('fake realtime text responses', () => {
  it('streams an out-of-band text response with its metadata, outside the conversation', async () => {
    const contexts: TextReplyContext[] = [];
    const { client, session } = await startWithClient({
      deltaIntervalMs: 0,
      textReply: (ctx) => {
        contexts.push(ctx);
        return 'The caller asked about order A-17.';
      },
    });
    const before = client.events.length;
    client.send({ type: 'response.create', response: summaryRequest });
    const done = await client.waitForEvent('response.done');
    const events = client.events.slice(before).map((e) => e.event);
    expect(events.every(isGaServerEvent)).toBe(true);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    const created = client.ofType('response.created')[0]!;
    expect(created.response).toMatchObject({
      status: 'in_progress',
      output_modalities: ['text'],
      metadata: { purpose: 'summary', call: 'c-42' },
    });
    expect(created.response.conversation_id).toBeUndefined();
    const deltas = client.ofType('response.output_text.delta');
    expect(deltas.map((d) => d.delta).join('')).toBe('The caller asked about order A-17.');
    expect(client.ofType('response.output_text.done')[0]?.text).toBe('The caller asked about order A-17.');
    expect(done.response).toMatchObject({
      id: created.response.id,
      status: 'completed',
      metadata: { purpose: 'summary', call: 'c-42' },
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'The caller asked about order A-17.' }],
        },
      ],
    });
    expect(done.response.usage?.output_tokens).toBeGreaterThan(0);
    expect(contexts).toEqual([
      {
        sessionIndex: 0,
        responseIndex: 0,
        responseId: created.response.id,
        outOfBand: true,
        instructions: 'Summarise the call in one sentence.',
        metadata: { purpose: 'summary', call: 'c-42' },
        input: undefined,
      },
    ]);
    expect(session.textResponses[0]).toMatchObject({
      outOfBand: true,
      status: 'completed',
      textSent: 'The caller asked about order A-17.',
    });
    expect(session.responses).toHaveLength(0);
    expect(client.ofType('conversation.item.added')).toHaveLength(0);
  });

  it('uses the default summary text and treats conversation none alone as text', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 0 });
    client.send({ type: 'response.create', response: { conversation: 'none' } });
    await client.waitForEvent('response.done');
    expect(session.textResponses[0]?.textSent).toBe('Summary: the caller asked about their appointment.');
    expect(session.textResponses[0]?.metadata).toBeNull();
  });

  it('runs beside an active audio response, which response.cancel without an id leaves it alone', async () => {
    const { client, session } = await startWithClient({ firstAudioDelayMs: 200, deltaIntervalMs: 20 });
    await client.useG711('audio/pcmu');
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.created');
    client.send({ type: 'response.create', response: summaryRequest });
    await client.waitForCount('response.created', 2);
    expect(client.ofType('error')).toHaveLength(0);
    const audio = session.responses[0]!;
    const text = session.textResponses[0]!;
    expect(session.activeResponseId).toBe(audio.id);
    client.send({ type: 'response.cancel' });
    const audioDone = await client.waitForEvent('response.done', (e) => e.response.id === audio.id);
    expect(audioDone.response.status).toBe('cancelled');
    const textDone = await client.waitForEvent('response.done', (e) => e.response.id === text.id);
    expect(textDone.response.status).toBe('completed');
  });

  it('cancels an out-of-band response by its id', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 40 });
    client.send({ type: 'response.create', response: summaryRequest });
    const created = await client.waitForEvent('response.created');
    client.send({ type: 'response.cancel', response_id: created.response.id! });
    const done = await client.waitForEvent('response.done');
    expect(done.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    expect(session.textResponses[0]?.status).toBe('cancelled');
  });

  it('writes an in-band text response to the conversation and holds the one-response rule', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 10 });
    client.send({
      type: 'response.create',
      response: { output_modalities: ['text'], metadata: { kind: 'note' } },
    });
    client.send({ type: 'response.create', event_id: 'evt_second' });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({
      code: 'conversation_already_has_active_response',
      event_id: 'evt_second',
    });
    const done = await client.waitForEvent('response.done');
    const record = session.textResponses[0]!;
    expect(record.outOfBand).toBe(false);
    expect(done.response.conversation_id).toMatch(/^conv_/);
    expect(client.ofType('conversation.item.added').map((e) => e.item.id)).toEqual([record.itemId]);
    expect(client.ofType('conversation.item.done')[0]?.item).toMatchObject({
      role: 'assistant',
      content: [{ type: 'output_text', text: record.textSent }],
    });
  });

  it('refuses an out-of-band audio response, which the fake does not make', async () => {
    const { client } = await startWithClient();
    client.send({
      type: 'response.create',
      response: { conversation: 'none', output_modalities: ['audio'] },
    });
    const error = await client.waitForEvent('error');
    expect(error.error).toMatchObject({ code: 'fake_unsupported', param: 'response.output_modalities' });
  });
});
