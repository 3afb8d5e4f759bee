// The UDP side of one externalMedia (UnicastRTP) channel: it sends the caller's audio to
// external_host and receives the gateway's audio, with Asterisk's strict-RTP source learning.

import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { nowMs } from './asterisk-time.ts';
import { FRAME_BYTES, type G711Format, payloadTypeOf } from './g711.ts';
import { buildRtpPacket, parseRtpPacket, type RtpPacket } from './rtp-packet.ts';

export interface UdpAddress {
  address: string;
  port: number;
}

export type RtpRejection = 'invalid' | 'strict-rtp';

export interface RtpPeerOptions {
  format: G711Format;
  remote: UdpAddress;
  /** Packets a new source must send in sequence before Asterisk accepts it (strictrtp probation). */
  strictRtpProbation: number;
  onPacket: (packet: RtpPacket, source: UdpAddress) => void;
  onReject: (reason: RtpRejection, source: UdpAddress) => void;
}

const key = (a: UdpAddress): string => `${a.address}:${a.port}`;

export class RtpPeer {
  readonly format: G711Format;
  readonly remote: UdpAddress;
  readonly ssrc = randomInt(0, 2 ** 32);
  readonly stats = { sent: 0, received: 0, invalid: 0, rejectedSource: 0 };
  #socket: dgram.Socket;
  #options: RtpPeerOptions;
  // Asterisk starts sequence numbers below 0x8000 so the first wrap is far away.
  #sequence = randomInt(0, 0x8000);
  #timestamp = randomInt(0, 2 ** 32);
  #lastSentAt: number | undefined;
  #acceptedSource: string;
  #learning: { source: string; lastSequence: number; count: number } | undefined;
  #closed = false;

  private constructor(socket: dgram.Socket, options: RtpPeerOptions) {
    this.#socket = socket;
    this.#options = options;
    this.format = options.format;
    this.remote = options.remote;
    this.#acceptedSource = key(options.remote);
    socket.on('message', (msg, rinfo) => this.#receive(msg, { address: rinfo.address, port: rinfo.port }));
  }

  static open(options: RtpPeerOptions, bindAddress = '127.0.0.1'): Promise<RtpPeer> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, bindAddress, () => {
        socket.off('error', reject);
        // A send to a closed port must not crash the test process.
        socket.on('error', () => {});
        resolve(new RtpPeer(socket, options));
      });
    });
  }

  get local(): UdpAddress {
    const a = this.#socket.address();
    return { address: a.address, port: a.port };
  }

  /** Sends one frame of the caller's audio as Asterisk would: sequence +1, timestamp +160. */
  sendFrame(payload: Buffer): void {
    const now = nowMs();
    if (this.#lastSentAt !== undefined) {
      // After a silent gap the timestamp follows the media clock, not the packet count.
      const gapMs = now - this.#lastSentAt;
      const frames = gapMs > 40 ? Math.round(gapMs / 20) : 1;
      this.#sequence = (this.#sequence + 1) & 0xffff;
      this.#timestamp = (this.#timestamp + FRAME_BYTES * frames) >>> 0;
    }
    this.#lastSentAt = now;
    const packet = buildRtpPacket({
      payloadType: payloadTypeOf(this.format),
      sequenceNumber: this.#sequence,
      timestamp: this.#timestamp,
      ssrc: this.ssrc,
      payload,
    });
    this.sendRaw(packet);
  }

  sendRaw(buf: Buffer): void {
    if (this.#closed) return;
    this.stats.sent++;
    this.#socket.send(buf, this.remote.port, this.remote.address);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #receive(msg: Buffer, source: UdpAddress): void {
    this.stats.received++;
    const packet = parseRtpPacket(msg);
    if (!packet) {
      this.stats.invalid++;
      this.#options.onReject('invalid', source);
      return;
    }
    const from = key(source);
    if (from !== this.#acceptedSource && !this.#learn(from, packet.sequenceNumber)) {
      this.stats.rejectedSource++;
      this.#options.onReject('strict-rtp', source);
      return;
    }
    this.#options.onPacket(packet, source);
  }

  /** Strict RTP: a new source is accepted once it has sent `probation` packets in sequence. */
  #learn(source: string, sequence: number): boolean {
    const l = this.#learning;
    if (l && l.source === source && sequence === ((l.lastSequence + 1) & 0xffff)) {
      l.count++;
      l.lastSequence = sequence;
    } else {
      this.#learning = { source, lastSequence: sequence, count: 1 };
    }
    if ((this.#learning?.count ?? 0) > this.#options.strictRtpProbation) {
      this.#acceptedSource = source;
      this.#learning = undefined;
      return true;
    }
    return false;
  }
}
