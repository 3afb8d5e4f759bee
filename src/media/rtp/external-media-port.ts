// One call's UDP socket, the address given to Asterisk as externalMedia's external_host.
// Inbound: only datagrams from the call's Asterisk RTP address are parsed; valid packets of the
// call's payload type are put back in order and handed on as G.711 payloads. Outbound: paced
// packets are sent from this same socket, because Asterisk sends to external_host and does not
// latch onto another source.
import type { Socket } from 'node:dgram';
import { createRtpInboundStats, type RtpInboundStats } from './rtp-inbound-stats.ts';
import { createRtpPacketView, parseRtpPacket } from './rtp-packet.ts';
import { RtpReorderBuffer } from './rtp-reorder-buffer.ts';

export interface RtpPeer {
  address: string;
  port: number;
}

export interface ExternalMediaPortOptions {
  socket: Socket;
  port: number;
  payloadType: number;
  reorderHoldMs: number;
  /** Gives the port back to its pool once the socket has closed. */
  onClosed: () => void;
}

export class ExternalMediaPort {
  readonly port: number;
  readonly stats: RtpInboundStats = createRtpInboundStats();
  readonly #socket: Socket;
  readonly #payloadType: number;
  readonly #view = createRtpPacketView();
  readonly #reorder: RtpReorderBuffer;
  readonly #onClosed: () => void;
  #peer: RtpPeer | null = null;
  #ssrc: number | null = null;
  #onPayload: ((payload: Buffer) => void) | null = null;
  #closed: Promise<void> | null = null;
  packetsSent = 0;
  sendErrors = 0;

  constructor(options: ExternalMediaPortOptions) {
    this.#socket = options.socket;
    this.port = options.port;
    this.#payloadType = options.payloadType;
    this.#onClosed = options.onClosed;
    this.#reorder = new RtpReorderBuffer({
      holdMs: options.reorderHoldMs,
      release: (payload) => {
        this.stats.forwarded++;
        this.#onPayload?.(payload);
      },
    });
    this.#socket.on('message', this.#onMessage);
    // A send error (e.g. ICMP unreachable) must not crash the daemon; it is counted.
    this.#socket.on('error', () => {
      this.sendErrors++;
    });
  }

  get peer(): RtpPeer | null {
    return this.#peer;
  }

  /** Where Asterisk's RTP for this call comes from, and where ours goes. */
  setPeer(peer: RtpPeer): void {
    this.#peer = peer;
  }

  /** Receives the caller's G.711 payloads in sequence order. */
  onPayload(handler: (payload: Buffer) => void): void {
    this.#onPayload = handler;
  }

  send(packet: Buffer): void {
    const peer = this.#peer;
    if (peer === null || this.#closed !== null) return;
    this.#socket.send(packet, peer.port, peer.address, this.#onSent);
    this.packetsSent++;
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      // Packets still waiting for a missing one are dropped with the call, and counted.
      this.stats.dropped.closed += this.#reorder.close();
      this.#onPayload = null;
      this.#socket.off('message', this.#onMessage);
      this.#socket.close(() => {
        this.#onClosed();
        resolve();
      });
    });
    return this.#closed;
  }

  readonly #onSent = (error: Error | null): void => {
    if (error) this.sendErrors++;
  };

  readonly #onMessage = (packet: Buffer, from: { address: string; port: number }): void => {
    const stats = this.stats;
    stats.received++;
    const peer = this.#peer;
    if (this.#closed !== null) {
      stats.dropped.closed++;
      return;
    }
    if (peer === null || from.port !== peer.port || from.address !== peer.address) {
      stats.dropped.foreign_source++;
      return;
    }
    const view = this.#view;
    const malformation = parseRtpPacket(packet, view);
    if (malformation !== null) {
      stats.dropped[malformation]++;
      return;
    }
    if (view.payloadType !== this.#payloadType) {
      stats.dropped.wrong_payload_type++;
      return;
    }
    if (this.#ssrc !== view.ssrc) {
      if (this.#ssrc !== null) {
        stats.ssrcChanges++;
        this.#reorder.reset();
      }
      this.#ssrc = view.ssrc;
    }
    const lostBefore = this.#reorder.lost;
    const reorderedBefore = this.#reorder.reordered;
    const outcome = this.#reorder.push(
      view.sequence,
      packet.subarray(view.payloadOffset, view.payloadOffset + view.payloadLength),
    );
    if (outcome === 'duplicate' || outcome === 'late') stats.dropped[outcome]++;
    stats.lost += this.#reorder.lost - lostBefore;
    stats.reordered += this.#reorder.reordered - reorderedBefore;
  };
}
