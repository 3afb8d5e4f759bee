import { describe, expect, it } from 'vitest';
import { decodeAriEvent } from '../../../src/telephony/ari/ari-event-decoder.ts';

const channel = { id: '1795300179.37', name: 'PJSIP/trunk-00000013', state: 'Ring' };

describe('decodeAriEvent', () => {
  it('accepts a StasisStart with a channel and args', () => {
    const decoded = decodeAriEvent(JSON.stringify({ type: 'StasisStart', args: ['1000'], channel }));
    expect(decoded.kind).toBe('event');
  });

  it('reports malformed input instead of throwing', () => {
    expect(decodeAriEvent('{not json')).toEqual({ kind: 'malformed', reason: 'not JSON' });
    expect(decodeAriEvent('[]')).toEqual({ kind: 'malformed', reason: 'no event type' });
    expect(decodeAriEvent(JSON.stringify({ type: 'StasisStart', channel }))).toMatchObject({
      kind: 'malformed',
      reason: 'args missing',
    });
    expect(decodeAriEvent(JSON.stringify({ type: 'StasisEnd', channel: { id: 5 } }))).toMatchObject({
      kind: 'malformed',
    });
    expect(decodeAriEvent(JSON.stringify({ type: 'BridgeDestroyed', bridge: {} }))).toMatchObject({
      kind: 'malformed',
    });
  });

  it('passes unknown event types on as unknown', () => {
    expect(decodeAriEvent(JSON.stringify({ type: 'DeviceStateChanged' }))).toEqual({
      kind: 'unknown',
      type: 'DeviceStateChanged',
    });
    expect(decodeAriEvent(JSON.stringify({ type: 'toString' }))).toEqual({
      kind: 'unknown',
      type: 'toString',
    });
  });
});
