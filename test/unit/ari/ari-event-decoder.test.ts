import { describe, expect, it } from 'vitest';
import { decodeAriEvent } from '../../../src/telephony/ari/ari-event-decoder.ts';

const channel = {
  id: '1795300179.37',
  name: 'PJSIP/trunk-00000013',
  state: 'Ring',
  caller: { name: 'Ann', number: '+15551234567' },
  dialplan: {
    context: 'from-trunk',
    exten: '1000',
    priority: 2,
    app_name: 'Stasis',
    app_data: 'callbridge,1000',
  },
};

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

  it('requires the caller and dialplan a new call reads, as the spec does', () => {
    const { caller: _caller, ...noCaller } = channel;
    expect(decodeAriEvent(JSON.stringify({ type: 'StasisStart', args: [], channel: noCaller }))).toEqual({
      kind: 'malformed',
      reason: 'channel lacks caller name or number',
      type: 'StasisStart',
    });
    const badDialplan = { ...channel, dialplan: { context: 'x', exten: 7 } };
    expect(
      decodeAriEvent(JSON.stringify({ type: 'StasisStart', args: [], channel: badDialplan })),
    ).toMatchObject({
      kind: 'malformed',
      reason: 'channel lacks dialplan context or exten',
    });
  });

  it('takes only keypad digits from ChannelDtmfReceived', () => {
    for (const digit of ['0', '9', 'A', 'E', '#', '*']) {
      expect(decodeAriEvent(JSON.stringify({ type: 'ChannelDtmfReceived', digit, channel })).kind).toBe(
        'event',
      );
    }
    for (const digit of ['constructor', '', '12', 'F', 5]) {
      expect(decodeAriEvent(JSON.stringify({ type: 'ChannelDtmfReceived', digit, channel }))).toMatchObject({
        kind: 'malformed',
        reason: 'digit is not a keypad digit',
      });
    }
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
