import { describe, expect, it } from 'vitest';
import { realtimeUrl } from '../../../src/ai/realtime/realtime-connection.ts';
import {
  decodeServerEvent,
  type EncodedAudioAppend,
  encodeAudioAppend,
} from '../../../src/ai/realtime/realtime-protocol.ts';

describe('Realtime protocol', () => {
  it('encodes a frame as a valid input_audio_buffer.append', () => {
    const base64 = Buffer.alloc(160, 0xff).toString('base64');
    const event = JSON.parse(encodeAudioAppend(base64)) as EncodedAudioAppend;
    expect(event).toEqual({ type: 'input_audio_buffer.append', audio: base64 });
  });

  it('decodes a server event once and checks the fields callbridge uses', () => {
    const delta = { type: 'response.output_audio.delta', delta: 'AAA=', item_id: 'i', response_id: 'r' };
    expect(decodeServerEvent(JSON.stringify(delta))).toEqual({ ok: true, event: delta });
    expect(decodeServerEvent('{"type":"response.output_audio.delta","item_id":"i"}')).toEqual({
      ok: false,
      failure: 'missing_fields',
      type: 'response.output_audio.delta',
    });
    expect(decodeServerEvent('nope')).toEqual({ ok: false, failure: 'invalid_json' });
    expect(decodeServerEvent('{"no":"type"}')).toEqual({ ok: false, failure: 'not_an_event' });
  });

  it('builds the socket URL from the base URL', () => {
    expect(realtimeUrl('https://api.openai.com/v1', 'gpt-realtime')).toBe(
      'wss://api.openai.com/v1/realtime?model=gpt-realtime',
    );
    expect(realtimeUrl('http://127.0.0.1:8080/v1/', 'm')).toBe('ws://127.0.0.1:8080/v1/realtime?model=m');
  });
});
