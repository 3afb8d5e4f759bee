// RTP fuzz input: a stream of random and mutated packets built from valid 172-byte G.711 RTP
// (bit flips, truncation, extension, random CSRC counts, header extensions and padding, wrong
// versions and payload types, random sequence numbers and SSRCs, duplicates, reordering), and a
// reference parse written from RFC 3550 §5.1 to say what each packet should be counted as.
import type { SeededRandom } from './seeded-random.ts';

export const FRAME_PAYLOAD_BYTES = 160;
export const VALID_PACKET_BYTES = 12 + FRAME_PAYLOAD_BYTES;

export type ReferenceVerdict =
  | {
      ok: true;
      payloadType: number;
      sequence: number;
      ssrc: number;
      payloadOffset: number;
      payloadLength: number;
    }
  | {
      ok: false;
      reason:
        | 'too_short'
        | 'bad_version'
        | 'bad_csrc_count'
        | 'bad_extension'
        | 'bad_padding'
        | 'empty_payload';
    };

/** RFC 3550 §5.1 as read independently of src/: header, CSRCs, extension, padding, payload. */
export function referenceParse(packet: Uint8Array): ReferenceVerdict {
  const length = packet.length;
  if (length < 12) return { ok: false, reason: 'too_short' };
  const version = packet[0]! >>> 6;
  if (version !== 2) return { ok: false, reason: 'bad_version' };
  const padding = (packet[0]! & 0b0010_0000) !== 0;
  const extension = (packet[0]! & 0b0001_0000) !== 0;
  const csrcs = packet[0]! & 0b0000_1111;
  let headerEnd = 12 + 4 * csrcs;
  if (headerEnd > length) return { ok: false, reason: 'bad_csrc_count' };
  if (extension) {
    // defined by profile (16 bits), length in 32-bit words not counting this 4-byte header (16 bits)
    if (headerEnd + 4 > length) return { ok: false, reason: 'bad_extension' };
    const words = (packet[headerEnd + 2]! << 8) | packet[headerEnd + 3]!;
    headerEnd += 4 + 4 * words;
    if (headerEnd > length) return { ok: false, reason: 'bad_extension' };
  }
  let payloadEnd = length;
  if (padding) {
    // The last octet counts the padding octets, itself included; zero is not a valid count.
    const count = packet[length - 1]!;
    if (count === 0 || length - count < headerEnd) return { ok: false, reason: 'bad_padding' };
    payloadEnd = length - count;
  }
  if (payloadEnd === headerEnd) return { ok: false, reason: 'empty_payload' };
  return {
    ok: true,
    payloadType: packet[1]! & 0x7f,
    sequence: (packet[2]! << 8) | packet[3]!,
    ssrc: ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0,
    payloadOffset: headerEnd,
    payloadLength: payloadEnd - headerEnd,
  };
}

export interface StreamState {
  ssrc: number;
  sequence: number;
  timestamp: number;
}

/** A valid 172-byte packet (V=2, no CSRC/extension/padding) for the stream's next sequence number. */
export function validPacket(stream: StreamState, payloadType: number, random: SeededRandom): Buffer {
  const packet = Buffer.alloc(VALID_PACKET_BYTES);
  packet[0] = 0x80;
  packet[1] = (random.chance(0.02) ? 0x80 : 0) | payloadType;
  packet.writeUInt16BE(stream.sequence, 2);
  packet.writeUInt32BE(stream.timestamp >>> 0, 4);
  packet.writeUInt32BE(stream.ssrc >>> 0, 8);
  // Caller audio around μ-law silence, so the model's VAD hears it only sometimes.
  const level = random.int(256);
  for (let i = 12; i < packet.length; i++) packet[i] = (level + random.int(8)) & 0xff;
  stream.sequence = (stream.sequence + 1) & 0xffff;
  stream.timestamp = (stream.timestamp + FRAME_PAYLOAD_BYTES) >>> 0;
  return packet;
}

export const MUTATIONS = [
  'flip_bits',
  'flip_header_bits',
  'truncate',
  'extend',
  'csrc_count',
  'extension',
  'padding',
  'version',
  'payload_type',
  'sequence',
  'ssrc',
  'marker',
  'header_only',
  'random_bytes',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Applies one mutation; may return a new buffer (different length). */
export function mutate(packet: Buffer, mutation: Mutation, random: SeededRandom): Buffer {
  // Earlier mutations may have cut the packet down to nothing; header edits need a header.
  if (packet.length < 2 && mutation !== 'extend' && mutation !== 'random_bytes') return packet;
  switch (mutation) {
    case 'flip_bits': {
      for (let flips = random.between(1, 8); flips > 0; flips--) {
        const bit = random.int(packet.length * 8);
        packet[bit >> 3]! ^= 1 << (bit & 7);
      }
      return packet;
    }
    case 'flip_header_bits': {
      for (let flips = random.between(1, 4); flips > 0; flips--) {
        const bit = random.int(Math.min(packet.length, 16) * 8);
        packet[bit >> 3]! ^= 1 << (bit & 7);
      }
      return packet;
    }
    case 'truncate':
      return Buffer.from(packet.subarray(0, random.int(packet.length)));
    case 'extend':
      return Buffer.concat([packet, random.bytes(random.between(1, random.chance(0.9) ? 64 : 1200))]);
    case 'csrc_count':
      packet[0] = (packet[0]! & 0xf0) | random.int(16);
      return packet;
    case 'extension': {
      packet[0]! |= 0x10;
      const at = 12 + 4 * (packet[0]! & 0x0f);
      if (at + 4 <= packet.length) {
        packet.writeUInt16BE(random.chance(0.5) ? 0xbede : random.int(0x10000), at);
        const words = random.weighted([
          [6, random.int(8)],
          [3, random.between(30, 45)],
          [1, random.int(0x10000)],
        ] as const);
        packet.writeUInt16BE(words, at + 2);
      }
      return packet;
    }
    case 'padding':
      packet[0]! |= 0x20;
      packet[packet.length - 1] = random.weighted([
        [4, random.between(1, 8)],
        [2, 0],
        [2, random.between(150, 255)],
        [1, random.int(256)],
      ] as const);
      return packet;
    case 'version':
      packet[0] = (packet[0]! & 0x3f) | (random.pick([0, 1, 3]) << 6);
      return packet;
    case 'payload_type':
      packet[1] = (packet[1]! & 0x80) | random.pick([8, 13, 18, 96, 101, 127, random.int(128)]);
      return packet;
    case 'sequence':
      if (packet.length >= 4) packet.writeUInt16BE(random.int(0x10000), 2);
      return packet;
    case 'ssrc':
      if (packet.length >= 12) packet.writeUInt32BE(random.uint32(), 8);
      return packet;
    case 'marker':
      packet[1]! ^= 0x80;
      return packet;
    case 'header_only':
      // A header (with whatever CSRCs fit) and no payload at all.
      return Buffer.from(packet.subarray(0, Math.min(packet.length, 12 + 4 * (packet[0]! & 0x0f))));
    case 'random_bytes':
      return random.bytes(
        random.weighted([
          [5, random.int(12)],
          [4, random.between(12, 200)],
          [1, random.between(200, 1400)],
        ] as const),
      );
  }
}

export interface FuzzPacket {
  data: Buffer;
  /** Sent from a source other than the call's Asterisk RTP address. */
  foreign: boolean;
  /** What it was built as, for failure reports. */
  origin: string;
}

export interface RtpFuzzOptions {
  /** Share of packets sent from a foreign source. */
  foreignShare?: number;
  /** The call's payload type (0 μ-law). */
  payloadType?: number;
}

/**
 * An endless stream of fuzz packets: runs of valid in-order packets, mutated packets, random
 * bytes, duplicates and swapped pairs, SSRC and sequence jumps, from the right and foreign sources.
 */
export function* rtpFuzzStream(random: SeededRandom, options: RtpFuzzOptions = {}): Generator<FuzzPacket> {
  const foreignShare = options.foreignShare ?? 0.1;
  const payloadType = options.payloadType ?? 0;
  const stream: StreamState = {
    ssrc: random.uint32(),
    sequence: random.int(0x10000),
    timestamp: random.uint32(),
  };
  const recent: Buffer[] = [];
  let held: FuzzPacket | null = null;
  for (;;) {
    let packet: FuzzPacket;
    const roll = random.next();
    if (roll < 0.35) {
      packet = { data: validPacket(stream, payloadType, random), foreign: false, origin: 'valid' };
    } else if (roll < 0.8) {
      let data = validPacket(stream, payloadType, random);
      const applied: Mutation[] = [];
      for (
        let n = random.weighted([
          [6, 1],
          [3, 2],
          [1, 3],
        ] as const);
        n > 0;
        n--
      ) {
        const mutation = random.pick(MUTATIONS);
        applied.push(mutation);
        data = mutate(data, mutation, random);
      }
      packet = { data, foreign: false, origin: `mutated:${applied.join('+')}` };
    } else if (roll < 0.88 && recent.length > 0) {
      packet = { data: Buffer.from(random.pick(recent)), foreign: false, origin: 'duplicate' };
    } else if (roll < 0.93) {
      // The stream moves: a new SSRC (a restarted sender) or a sequence jump, then carries on.
      if (random.chance(0.3)) stream.ssrc = random.uint32();
      else
        stream.sequence = (stream.sequence + random.pick([-200, -3, -1, 2, 3, 5, 100, 5000, 40000])) & 0xffff;
      packet = { data: validPacket(stream, payloadType, random), foreign: false, origin: 'jump' };
    } else {
      packet = {
        data: mutate(validPacket(stream, payloadType, random), 'random_bytes', random),
        foreign: false,
        origin: 'random',
      };
    }
    if (random.chance(foreignShare)) packet.foreign = true;
    if (!packet.foreign && packet.data.length >= 12) {
      recent.push(packet.data);
      if (recent.length > 16) recent.shift();
    }
    // Reordering: hold one packet back and send it after the next.
    if (held === null && random.chance(0.05)) {
      held = packet;
      continue;
    }
    yield packet;
    if (held !== null) {
      const late = held;
      held = null;
      yield late;
    }
  }
}

/** What the daemon should count a packet as, from the reference parse. */
export type ExpectedClass =
  | 'foreign_source'
  | 'too_short'
  | 'bad_version'
  | 'bad_csrc_count'
  | 'bad_extension'
  | 'bad_padding'
  | 'empty_payload'
  | 'wrong_payload_type'
  | 'valid';

export function expectedClass(packet: FuzzPacket, payloadType: number): ExpectedClass {
  if (packet.foreign) return 'foreign_source';
  const verdict = referenceParse(packet.data);
  if (!verdict.ok) return verdict.reason;
  return verdict.payloadType === payloadType ? 'valid' : 'wrong_payload_type';
}
