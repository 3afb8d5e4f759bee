// Plays the gateway's RTP socket: the external_host an externalMedia channel sends to.

import dgram from 'node:dgram';
import { parseRtpPacket, type RtpPacket } from '../../support/fake-asterisk/rtp-packet.ts';
import { waitUntil } from '../../support/fake-asterisk/wait-until.ts';

export interface ReceivedRtp extends RtpPacket {
  at: number;
  raw: Buffer;
  from: { address: string; port: number };
}

export class GatewaySocket {
  readonly received: ReceivedRtp[] = [];
  #socket: dgram.Socket;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    socket.on('message', (msg, rinfo) => {
      const packet = parseRtpPacket(msg);
      if (packet)
        this.received.push({
          ...packet,
          at: Date.now(),
          raw: msg,
          from: { address: rinfo.address, port: rinfo.port },
        });
    });
  }

  static open(): Promise<GatewaySocket> {
    return new Promise((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => resolve(new GatewaySocket(socket)));
    });
  }

  get hostPort(): string {
    return `127.0.0.1:${this.#socket.address().port}`;
  }

  send(buf: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve) => this.#socket.send(buf, port, address, () => resolve()));
  }

  waitForPackets(count: number, timeoutMs = 2000): Promise<void> {
    return waitUntil(() => this.received.length >= count, timeoutMs, `${count} RTP packets`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
