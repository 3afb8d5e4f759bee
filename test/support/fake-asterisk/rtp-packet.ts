// RTP fixed header (RFC 3550) as Asterisk writes it: version 2, no padding, no extension, no CSRCs.

export const RTP_HEADER_BYTES = 12;

export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

export interface RtpPacket extends RtpHeader {
  payload: Buffer;
}

export function buildRtpPacket(h: {
  marker?: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}): Buffer {
  const header = Buffer.alloc(RTP_HEADER_BYTES);
  header[0] = 0x80;
  header[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  header.writeUInt16BE(h.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(h.timestamp >>> 0, 4);
  header.writeUInt32BE(h.ssrc >>> 0, 8);
  return Buffer.concat([header, h.payload]);
}

/** Parses an RTP packet; undefined when it is too short or not version 2. */
export function parseRtpPacket(buf: Buffer): RtpPacket | undefined {
  if (buf.length < RTP_HEADER_BYTES) return undefined;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  const version = b0 >> 6;
  if (version !== 2) return undefined;
  const csrcCount = b0 & 0x0f;
  const extension = (b0 & 0x10) !== 0;
  let offset = RTP_HEADER_BYTES + csrcCount * 4;
  if (extension) {
    if (buf.length < offset + 4) return undefined;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  }
  let end = buf.length;
  const padding = (b0 & 0x20) !== 0;
  if (padding) end -= buf[buf.length - 1] ?? 0;
  if (offset > end) return undefined;
  return {
    version,
    padding,
    extension,
    csrcCount,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(offset, end),
  };
}
