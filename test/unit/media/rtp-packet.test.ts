import { describe, expect, it } from 'vitest';
import { createRtpPacketView, parseRtpPacket, writeRtpHeader } from '../../../src/media/rtp/rtp-packet.ts';

function packet(
  options: { csrc?: number; extensionWords?: number; padding?: number; payload?: number } = {},
): Buffer {
  const csrc = options.csrc ?? 0;
  const extensionWords = options.extensionWords ?? -1;
  const payload = options.payload ?? 160;
  const padding = options.padding ?? 0;
  const headerBytes = 12 + csrc * 4 + (extensionWords >= 0 ? 4 + extensionWords * 4 : 0);
  const buf = Buffer.alloc(headerBytes + payload + padding, 0x55);
  buf[0] = 0x80 | (padding ? 0x20 : 0) | (extensionWords >= 0 ? 0x10 : 0) | csrc;
  buf[1] = 0x80 | 0; // marker, PT 0
  buf.writeUInt16BE(65535, 2);
  buf.writeUInt32BE(4_000_000_000, 4);
  buf.writeUInt32BE(0xdeadbeef, 8);
  if (extensionWords >= 0) buf.writeUInt16BE(extensionWords, 12 + csrc * 4 + 2);
  if (padding) buf[buf.length - 1] = padding;
  return buf;
}

describe('parseRtpPacket', () => {
  it('reads the fixed header of an Asterisk-style 172-byte packet', () => {
    const view = createRtpPacketView();
    expect(parseRtpPacket(packet(), view)).toBeNull();
    expect(view).toEqual({
      marker: true,
      payloadType: 0,
      sequence: 65535,
      timestamp: 4_000_000_000,
      ssrc: 0xdeadbeef,
      payloadOffset: 12,
      payloadLength: 160,
    });
  });

  it('skips a CSRC list and a header extension to find the payload', () => {
    const view = createRtpPacketView();
    expect(parseRtpPacket(packet({ csrc: 2, extensionWords: 3 }), view)).toBeNull();
    expect(view.payloadOffset).toBe(12 + 8 + 4 + 12);
    expect(view.payloadLength).toBe(160);
  });

  it('removes padding from the payload length', () => {
    const view = createRtpPacketView();
    expect(parseRtpPacket(packet({ padding: 4 }), view)).toBeNull();
    expect(view.payloadLength).toBe(160);
  });

  it('names what is wrong with a malformed packet', () => {
    const view = createRtpPacketView();
    expect(parseRtpPacket(Buffer.alloc(11), view)).toBe('too_short');
    const v1 = packet();
    v1[0] = 0x40;
    expect(parseRtpPacket(v1, view)).toBe('bad_version');
    expect(parseRtpPacket(packet({ csrc: 15, payload: 0 }).subarray(0, 40), view)).toBe('bad_csrc_count');
    const longExtension = packet({ extensionWords: 0, payload: 8 });
    longExtension.writeUInt16BE(100, 14);
    expect(parseRtpPacket(longExtension, view)).toBe('bad_extension');
    const overPadded = packet({ padding: 1, payload: 4 });
    overPadded[overPadded.length - 1] = 200;
    expect(parseRtpPacket(overPadded, view)).toBe('bad_padding');
    expect(parseRtpPacket(packet({ payload: 0 }), view)).toBe('empty_payload');
  });
});

describe('writeRtpHeader', () => {
  it('writes a header that parses back to the same fields', () => {
    const buf = Buffer.alloc(172);
    writeRtpHeader(buf, 8, true, 0x1_0005, 2 ** 32 + 7, 123456);
    const view = createRtpPacketView();
    expect(parseRtpPacket(buf, view)).toBeNull();
    expect(view).toMatchObject({ marker: true, payloadType: 8, sequence: 5, timestamp: 7, ssrc: 123456 });
  });
});
