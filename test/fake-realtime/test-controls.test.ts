import { describe, expect, it } from 'vitest';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { connectClient, startFakeRealtime, startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime server test controls', () => {
  it('forces VAD events: speech stopped commits the turn and starts a response', async () => {
    const { client, session } = await startWithClient({ deltaIntervalMs: 0 });
    await client.useG711('audio/pcmu');
    client.appendAudio(Buffer.alloc(1600, 0xff));
    await session.waitFor((s) => s.appends.length === 10);
    session.emitSpeechStarted();
    const started = await client.waitForEvent('input_audio_buffer.speech_started');
    expect(started.audio_start_ms).toBe(0);
    session.emitSpeechStopped();
    const stopped = await client.waitForEvent('input_audio_buffer.speech_stopped');
    expect(stopped).toMatchObject({ item_id: started.item_id, audio_end_ms: 200 });
    await client.waitForEvent('response.done');
    expect(session.vadEvents.map((v) => [v.type, v.forced])).toEqual([
      ['speech_started', true],
      ['speech_stopped', true],
    ]);
  });

  it('starts a server-initiated response with custom audio and transcript', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcma');
    const audio = toneAudio('audio/pcma', [{ hz: 1000, ms: 250 }]);
    const record = session.startResponse({ audio, transcript: 'Custom reply.', deltaBytes: 400 });
    expect(() => session.startResponse()).toThrow(/already has active response/);
    const done = await client.waitForEvent('response.done');
    expect(done.response.id).toBe(record.id);
    const deltas = client.ofType('response.output_audio.delta');
    expect(deltas).toHaveLength(5);
    expect(Buffer.concat(deltas.map((d) => Buffer.from(d.delta, 'base64'))).equals(audio)).toBe(true);
    expect(record).toMatchObject({
      source: 'server',
      status: 'completed',
      bytesSent: 2000,
      transcriptSent: 'Custom reply.',
    });
  });

  it('applies setOptions to later responses, passing replyAudio its context', async () => {
    const { rt, client, session } = await startWithClient();
    await client.useG711('audio/pcmu');
    const contexts: unknown[] = [];
    rt.setOptions({
      replyAudio: (ctx) => {
        contexts.push(ctx);
        return Buffer.alloc(160, 0x55);
      },
      replyTranscript: 'Changed.',
    });
    client.send({ type: 'response.create', response: { instructions: 'Be brief.' } });
    await client.waitForEvent('response.done');
    expect(contexts).toEqual([
      expect.objectContaining({
        sessionIndex: 0,
        responseIndex: 0,
        format: 'audio/pcmu',
        voice: 'alloy',
        instructions: 'Be brief.',
        source: 'client',
      }),
    ]);
    expect(session.responses[0]?.audio.length).toBe(160);
    expect(client.ofType('response.output_audio_transcript.done')[0]?.transcript).toBe('Changed.');
  });

  it('sends raw text and arbitrary events to the client', async () => {
    const { client, session } = await startWithClient();
    session.sendRaw('not json at all');
    session.sendEvent({
      type: 'rate_limits.updated',
      event_id: 'event_custom',
      rate_limits: [{ name: 'tokens', limit: 10 }],
    });
    await session.waitFor((s) => s.sent.length === 2);
    expect(session.sentRaw.map((r) => r.raw)).toEqual(['not json at all']);
    expect(client.closeInfo).toBeUndefined();
  });

  it('lists sessions in connection order and waits for later ones', async () => {
    const rt = await startFakeRealtime();
    const waiting = rt.waitForSession(1);
    await connectClient(rt, { model: 'first' });
    await connectClient(rt, { model: 'second' });
    expect((await waiting).model).toBe('second');
    expect(rt.sessions.map((s) => s.model)).toEqual(['first', 'second']);
    expect(rt.sessions[1]!.connectedAt).toBeGreaterThanOrEqual(rt.sessions[0]!.connectedAt);
  });
});
