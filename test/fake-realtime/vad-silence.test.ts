import { describe, expect, it } from 'vitest';
import { toneAudio } from '../support/fake-realtime/tone-audio.ts';
import { startWithClient } from './fake-realtime-fixture.ts';

// The daemon fills caller silence with G.711 idle bytes; they must never look like speech.
describe('fake realtime server VAD on silence', () => {
  it('stays quiet on μ-law 0xFF silence frames', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcmu');
    client.appendAudio(Buffer.alloc(8000 * 3, 0xff));
    // Messages are handled in order, so once the clear is answered every append has been through the VAD.
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitForEvent('input_audio_buffer.cleared');
    expect(session.appends).toHaveLength(150);
    expect(session.vadEvents).toHaveLength(0);
    expect(client.ofType('input_audio_buffer.speech_started')).toHaveLength(0);
  });

  it('stays quiet on A-law 0xD5 silence frames', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcma');
    client.appendAudio(Buffer.alloc(8000 * 3, 0xd5));
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitForEvent('input_audio_buffer.cleared');
    expect(session.vadEvents).toHaveLength(0);
    expect(session.inputAudio().equals(Buffer.alloc(8000 * 3, 0xd5))).toBe(true);
  });

  it('sends no VAD events when turn detection is off', async () => {
    const { client, session } = await startWithClient();
    await client.useG711('audio/pcmu', {
      audio: { input: { format: { type: 'audio/pcmu' }, turn_detection: null } },
    });
    client.appendAudio(
      toneAudio('audio/pcmu', [
        { hz: 300, ms: 1000 },
        { hz: 0, ms: 1000 },
      ]),
    );
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitForEvent('input_audio_buffer.cleared');
    expect(session.vadEvents).toHaveLength(0);
    expect(session.responses).toHaveLength(0);
  });
});
