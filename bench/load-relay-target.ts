// The bare relay under load (bench/bare-relay.ts in its own process). There is no Asterisk: each
// call's caller is an RTP peer of the fake Asterisk's own kind (test/support's RtpPeer), sending to
// the port the relay opened for it and listening on the port it sends from.
import { fileURLToPath } from 'node:url';
import { RtpPeer } from '../test/support/fake-asterisk/rtp-peer.ts';
import { ManagedChild, pollFor } from './child-processes.ts';
import type { LoadCall } from './load-call.ts';
import type { LoadTarget, ProbeMemory, ProbeWindow } from './load-target.ts';
import { epochMs } from './wall-clock.ts';

const RELAY = fileURLToPath(new URL('./bare-relay.ts', import.meta.url));

export interface RelayTargetSettings {
  /** The fake Realtime server's REST-style base URL (http://127.0.0.1:PORT/v1). */
  realtimeBaseUrl: string;
  realtimeApiKey: string;
  portMin: number;
}

export class RelayTarget implements LoadTarget {
  readonly name = 'bare relay';
  readonly slug = 'bare-relay';
  readonly #child: ManagedChild;
  readonly #control: string;
  readonly #peers: { peer: RtpPeer; call: LoadCall }[] = [];

  private constructor(child: ManagedChild, controlPort: number) {
    this.#child = child;
    this.#control = `http://127.0.0.1:${controlPort}`;
  }

  static async start(settings: RelayTargetSettings): Promise<RelayTarget> {
    const realtimeUrl = `${settings.realtimeBaseUrl.replace(/^http/, 'ws')}/realtime?model=gpt-realtime`;
    let announced: string | undefined;
    const child = await ManagedChild.start({
      name: 'bare relay',
      args: [
        '--expose-gc',
        RELAY,
        '--realtime-url',
        realtimeUrl,
        '--api-key',
        settings.realtimeApiKey,
        '--port-min',
        String(settings.portMin),
      ],
      env: { PATH: process.env['PATH'] ?? '' },
      onLine: (line) => {
        announced ??= line;
      },
    });
    try {
      const line = await pollFor(
        () => {
          child.assertAlive('announcing its port');
          return announced;
        },
        15_000,
        'the bare relay to announce its port',
      );
      return new RelayTarget(child, (JSON.parse(line) as { port: number }).port);
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  get pid(): number {
    return this.#child.pid;
  }

  async placeCall(call: LoadCall, timeoutMs: number): Promise<void> {
    const response = await fetch(`${this.#control}/calls`, { method: 'POST' });
    if (!response.ok)
      throw new Error(`the relay refused a call: ${response.status} ${await response.text()}`);
    const { port } = (await response.json()) as { port: number };
    const peer = await RtpPeer.open({
      format: 'ulaw',
      remote: { address: '127.0.0.1', port },
      strictRtpProbation: 4,
      onPacket: (packet) => call.hear(epochMs(), packet.sequenceNumber, packet.marker),
      onReject: () => {},
    });
    this.#peers.push({ peer, call });
    // The relay learns where the caller is from its first packet, so the caller talks first.
    call.startTalking((packet) => peer.sendRaw(packet));
    await pollFor(
      () => {
        this.#child.assertAlive('answering the calls');
        return call.heardTotal > 0 ? true : undefined;
      },
      timeoutMs,
      'the greeting',
    );
  }

  drain(): void {
    // Heard frames go straight to the ear.
  }

  async windowStart(profileFile?: string): Promise<void> {
    await this.#ask(
      'POST',
      profileFile ? `/window-start?profile=${encodeURIComponent(profileFile)}` : '/window-start',
    );
  }

  windowEnd(): Promise<ProbeWindow | null> {
    return this.#ask<ProbeWindow>('POST', '/window-end');
  }

  memory(): Promise<ProbeMemory | null> {
    return this.#ask<ProbeMemory>('GET', '/memory');
  }

  async #ask<T>(method: string, path: string): Promise<T | null> {
    try {
      const response = await fetch(`${this.#control}${path}`, {
        method,
        signal: AbortSignal.timeout(10_000),
      });
      return response.ok ? ((await response.json()) as T) : null;
    } catch {
      return null;
    }
  }

  async finish(): Promise<string[]> {
    for (const { peer, call } of this.#peers) {
      call.stopTalking();
      await peer.close();
    }
    return [];
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}
