import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithTools } from './fake-realtime-fixture.ts';
import { isGaServerEvent } from './server-event-types.ts';

function eventsOf(response: string, events: { event: RealtimeServerEvent }[]): RealtimeServerEvent[] {
  return events
    .map((e) => e.event)
    .filter((e) => {
      if ('response_id' in e) return e.response_id === response;
      if (e.type === 'response.created' || e.type === 'response.done') return e.response.id === response;
      return e.type === 'conversation.item.added' || e.type === 'conversation.item.done';
    });
}

describe('fake realtime tool calls', () => {
  it('calls a tool with a function_call response in the GA event order', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 0 });
    const sentBefore = client.events.length;
    const record = session.callTool('lookup_order', { orderNumber: 'A-17' }, { argumentDeltas: 2 });
    const done = await client.waitForEvent('response.done');
    const events = client.events.slice(sentBefore);
    expect(events.every(({ event }) => isGaServerEvent(event))).toBe(true);
    expect(eventsOf(record.id, events).map((e) => e.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);

    const call = session.toolCalls[0]!;
    expect(call).toMatchObject({
      responseId: record.id,
      name: 'lookup_order',
      arguments: '{"orderNumber":"A-17"}',
      status: 'sent',
    });
    expect(call.callId).toMatch(/^call_/);
    const added = client.ofType('response.output_item.added')[0]!;
    expect(added).toMatchObject({
      response_id: record.id,
      output_index: 0,
      item: {
        id: call.itemId,
        type: 'function_call',
        status: 'in_progress',
        name: 'lookup_order',
        call_id: call.callId,
        arguments: '',
      },
    });
    const deltas = client.ofType('response.function_call_arguments.delta');
    expect(deltas.map((d) => d.delta).join('')).toBe('{"orderNumber":"A-17"}');
    expect(deltas[0]).toMatchObject({ item_id: call.itemId, call_id: call.callId, output_index: 0 });
    expect(client.ofType('response.function_call_arguments.done')[0]).toMatchObject({
      response_id: record.id,
      item_id: call.itemId,
      call_id: call.callId,
      name: 'lookup_order',
      output_index: 0,
      arguments: '{"orderNumber":"A-17"}',
    });
    const functionCall = {
      id: call.itemId,
      object: 'realtime.item',
      type: 'function_call',
      status: 'completed',
      name: 'lookup_order',
      call_id: call.callId,
      arguments: '{"orderNumber":"A-17"}',
    };
    expect(client.ofType('response.output_item.done')[0]?.item).toEqual(functionCall);
    expect(done.response).toMatchObject({ id: record.id, status: 'completed', output: [functionCall] });
    expect(record).toMatchObject({
      hasAudioItem: false,
      itemId: call.itemId,
      bytesSent: 0,
      source: 'server',
    });
    expect(client.ofType('response.output_audio.delta')).toHaveLength(0);
    expect(session.activeResponseId).toBeUndefined();
  });

  it('says the sayFirst words as audio before the function call, in the same response', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 0 });
    const audio = toneAudio('audio/pcmu', [{ hz: 500, ms: 200 }]);
    const record = session.callTool(
      'end_call',
      { reason: 'caller is done' },
      { sayFirst: 'Goodbye, have a nice day.', audio },
    );
    const done = await client.waitForEvent('response.done');
    const types = eventsOf(record.id, client.events).map((e) => e.type);
    const firstCallEvent = types.indexOf('response.function_call_arguments.delta');
    expect(types.lastIndexOf('response.output_audio.delta')).toBeLessThan(firstCallEvent);
    expect(types.indexOf('response.output_audio_transcript.done')).toBeLessThan(firstCallEvent);
    const itemsAdded = client.ofType('response.output_item.added');
    expect(itemsAdded.map((e) => [e.output_index, e.item.type])).toEqual([
      [0, 'message'],
      [1, 'function_call'],
    ]);
    expect(done.response.output?.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(done.response.output?.[0]).toMatchObject({
      id: record.itemId,
      content: [{ type: 'output_audio', transcript: 'Goodbye, have a nice day.' }],
    });
    const callAdded = client.ofType('conversation.item.added').find((e) => e.item.type === 'function_call');
    expect(callAdded?.previous_item_id).toBe(record.itemId);
    expect(client.ofType('response.function_call_arguments.done')[0]).toMatchObject({ output_index: 1 });
    expect(record.bytesSent).toBe(audio.length);
    expect(session.toolCalls[0]).toMatchObject({ sayFirst: 'Goodbye, have a nice day.', status: 'sent' });
  });

  it('drops the call when the caller barges in while the words before it play', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 30 });
    session.callTool('end_call', {}, { sayFirst: 'Let me end this call for you now.' });
    await client.waitForEvent('response.output_audio.delta');
    session.emitSpeechStarted();
    const done = await client.waitForEvent('response.done');
    expect(done.response.status).toBe('cancelled');
    expect(done.response.output?.map((i) => i.type)).toEqual(['message']);
    expect(client.ofType('response.function_call_arguments.done')).toHaveLength(0);
    expect(session.toolCalls[0]?.status).toBe('cancelled');
  });

  it('sends arguments given as text as they are, even when they are not JSON', async () => {
    const { client, session } = await startWithTools({ deltaIntervalMs: 0 });
    session.callTool('lookup_order', '{"orderNumber":', { argumentDeltas: 1 });
    const done = await client.waitForEvent('response.function_call_arguments.done');
    expect(done.arguments).toBe('{"orderNumber":');
  });

  it('refuses to call a tool the session does not list, or while a response is active', async () => {
    const { client, session } = await startWithTools({ firstAudioDelayMs: 100 });
    expect(() => session.callTool('transfer_call', {})).toThrow(
      /lists no tool 'transfer_call' \(tools: lookup_order, end_call\)/,
    );
    session.startResponse();
    expect(() => session.callTool('end_call', {})).toThrow(/already has active response/);
    await client.waitForEvent('response.done');
    session.callTool('transfer_call', { target: 'sales' }, { allowUnlisted: true });
    const done = await client.waitForEvent('response.function_call_arguments.done');
    expect(done.name).toBe('transfer_call');
  });
});
