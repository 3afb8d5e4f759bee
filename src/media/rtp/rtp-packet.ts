// RTP fixed header (RFC 3550 §5.1): parsed in place into a reused view, written into a
// preallocated buffer. Nothing here allocates per packet.

export const RTP_HEADER_BYTES = 12;
export const RTP_VERSION = 2;

/** Why an inbound datagram is not a usable RTP packet. */
export type RtpMalformation =
  | 'too_short'
  | 'bad_version'
  | 'bad_csrc_count'
  | 'bad_extension'
  | 'bad_padding'
  | 'empty_payload';

/** Fields of one parsed packet; the payload is buf[payloadOffset, payloadOffset + payloadLength). */
export interface RtpPacketView {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payloadOffset: number;
  payloadLength: number;
}

export function createRtpPacketView(): RtpPacketView {
  return {
    marker: false,
    payloadType: 0,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    payloadOffset: 0,
    payloadLength: 0,
  };
}

/** Parses `packet` into `view`; returns null when it is valid, else what is wrong with it. */
export function parseRtpPacket(packet: Buffer, view: RtpPacketView): RtpMalformation | null {
  const length = packet.length;
  if (length < RTP_HEADER_BYTES) return 'too_short';
  const first = packet[0]!;
  if (first >> 6 !== RTP_VERSION) return 'bad_version';
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;

  let offset = RTP_HEADER_BYTES + csrcCount * 4;
  if (offset > length) return 'bad_csrc_count';
  if (hasExtension) {
    // Extension header: 16-bit profile, 16-bit length in 32-bit words, then the words.
    if (offset + 4 > length) return 'bad_extension';
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
    if (offset > length) return 'bad_extension';
  }
  let end = length;
  if (hasPadding) {
    const padding = packet[length - 1]!;
    if (padding === 0 || end - padding < offset) return 'bad_padding';
    end -= padding;
  }
  if (end === offset) return 'empty_payload';

  const second = packet[1]!;
  view.marker = (second & 0x80) !== 0;
  view.payloadType = second & 0x7f;
  view.sequence = packet.readUInt16BE(2);
  view.timestamp = packet.readUInt32BE(4);
  view.ssrc = packet.readUInt32BE(8);
  view.payloadOffset = offset;
  view.payloadLength = end - offset;
  return null;
}

/** Writes a 12-byte header (no CSRCs, no extension, no padding) at the start of `packet`. */
export function writeRtpHeader(
  packet: Buffer,
  payloadType: number,
  marker: boolean,
  sequence: number,
  timestamp: number,
  ssrc: number,
): void {
  packet[0] = RTP_VERSION << 6;
  packet[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
}
