// Hands out one UDP port per call from the configured range. Ports are tried round-robin from
// the last one handed out, so a port just released (whose late packets may still be in flight)
// is the last to be reused; a port another program holds is skipped.
import { createSocket, type Socket } from 'node:dgram';
import { ExternalMediaPort } from './external-media-port.ts';

export class RtpPortsExhaustedError extends Error {
  constructor(portMin: number, portMax: number) {
    super(`no free RTP port in ${portMin}-${portMax}`);
    this.name = 'RtpPortsExhaustedError';
  }
}

export interface RtpPortPoolOptions {
  bind: string;
  portMin: number;
  portMax: number;
  payloadType: number;
  reorderHoldMs: number;
}

export class RtpPortPool {
  readonly #options: RtpPortPoolOptions;
  readonly #leased = new Set<number>();
  #cursor: number;

  constructor(options: RtpPortPoolOptions) {
    const { portMin, portMax } = options;
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1 || portMax > 65535) {
      throw new RangeError('portMin and portMax must be ports (1-65535)');
    }
    if (portMin > portMax) throw new RangeError('portMin must not exceed portMax');
    this.#options = options;
    this.#cursor = portMin;
  }

  /** Ports currently held by calls. */
  get leased(): number {
    return this.#leased.size;
  }

  get capacity(): number {
    return this.#options.portMax - this.#options.portMin + 1;
  }

  async open(): Promise<ExternalMediaPort> {
    const { portMin, portMax } = this.#options;
    for (let tried = 0; tried < this.capacity; tried++) {
      const port = this.#cursor;
      this.#cursor = port >= portMax ? portMin : port + 1;
      if (this.#leased.has(port)) continue;
      this.#leased.add(port);
      const socket = await this.#bind(port);
      if (socket === null) {
        this.#leased.delete(port);
        continue;
      }
      return new ExternalMediaPort({
        socket,
        port,
        payloadType: this.#options.payloadType,
        reorderHoldMs: this.#options.reorderHoldMs,
        onClosed: () => this.#leased.delete(port),
      });
    }
    throw new RtpPortsExhaustedError(portMin, portMax);
  }

  #bind(port: number): Promise<Socket | null> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: false });
      const onError = () => {
        socket.close();
        resolve(null);
      };
      socket.once('error', onError);
      socket.bind(port, this.#options.bind, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    });
  }
}
