import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import WebSocket from 'ws';
import { ChangeWaiters } from './change-waiters.ts';
import { wallClockMs } from './wall-clock.ts';

export interface RealtimeConnectOptions {
  apiKey?: string;
  model?: string;
  headers?: Record<string, string>;
}

export interface UpgradeFailure {
  status: number;
  body: string;
}

type EventOf<T extends RealtimeServerEvent['type']> = Extract<RealtimeServerEvent, { type: T }>;

export function realtimeWsUrl(baseUrl: string, model = 'gpt-realtime'): string {
  return `${baseUrl.replace(/^http/, 'ws')}/realtime?model=${encodeURIComponent(model)}`;
}

function connectHeaders(options: RealtimeConnectOptions): Record<string, string> {
  return { Authorization: `Bearer ${options.apiKey ?? 'sk-test-fake'}`, ...options.headers };
}

// A plain `ws` client for exercising the fake server directly (the daemon has its own client).
export class RealtimeTestClient {
  readonly events: { at: number; event: RealtimeServerEvent }[] = [];
  readonly rawMessages: string[] = [];
  closeInfo: { code: number; reason: string } | undefined;
  readonly #ws: WebSocket;
  readonly #waiters = new ChangeWaiters();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.rawMessages.push(text);
      try {
        this.events.push({ at: wallClockMs(), event: JSON.parse(text) as RealtimeServerEvent });
      } catch {
        // Only rawMessages keeps frames that are not JSON (the server can send those on purpose).
      }
      this.#waiters.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.#waiters.notify();
    });
    ws.on('error', () => {});
  }

  static connect(baseUrl: string, options: RealtimeConnectOptions = {}): Promise<RealtimeTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(realtimeWsUrl(baseUrl, options.model), { headers: connectHeaders(options) });
      // Listening before 'open' so that the session.created sent right after the upgrade is kept.
      const client = new RealtimeTestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Attempts an upgrade that the server is expected to refuse; returns its HTTP status and body. */
  static failedUpgrade(baseUrl: string, options: RealtimeConnectOptions = {}): Promise<UpgradeFailure> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(realtimeWsUrl(baseUrl, options.model), { headers: connectHeaders(options) });
      ws.on('error', () => {});
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('upgrade unexpectedly succeeded'));
      });
      ws.once('unexpected-response', (req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
    });
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  send(event: RealtimeClientEvent): void {
    this.#ws.send(JSON.stringify(event));
  }

  sendRaw(text: string): void {
    this.#ws.send(text);
  }

  /** Appends audio as the daemon does: one input_audio_buffer.append per 20 ms G.711 frame by default. */
  appendAudio(audio: Buffer, chunkBytes = 160): void {
    for (let offset = 0; offset < audio.length; offset += chunkBytes) {
      this.send({
        type: 'input_audio_buffer.append',
        audio: audio.subarray(offset, offset + chunkBytes).toString('base64'),
      });
    }
  }

  /** Switches both directions to a G.711 format and waits for session.updated. */
  async useG711(type: 'audio/pcmu' | 'audio/pcma', extra: Record<string, unknown> = {}): Promise<void> {
    const before = this.ofType('session.updated').length;
    this.sendRaw(
      JSON.stringify({
        type: 'session.update',
        session: {
          type: 'realtime',
          audio: { input: { format: { type } }, output: { format: { type } } },
          ...extra,
        },
      }),
    );
    await this.waitForCount('session.updated', before + 1);
  }

  ofType<T extends RealtimeServerEvent['type']>(type: T): EventOf<T>[] {
    return this.events.filter((e) => e.event.type === type).map((e) => e.event as EventOf<T>);
  }

  waitForEvent<T extends RealtimeServerEvent['type']>(
    type: T,
    pred: (event: EventOf<T>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EventOf<T>> {
    return this.#waiters.wait(() => this.ofType(type).find(pred), timeoutMs, `waitForEvent(${type})`);
  }

  /** Waits for the n-th (1-based) event of a type. */
  waitForCount<T extends RealtimeServerEvent['type']>(
    type: T,
    count: number,
    timeoutMs = 5000,
  ): Promise<EventOf<T>[]> {
    return this.#waiters.wait(
      () => {
        const found = this.ofType(type);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      `waitForCount(${type}, ${count})`,
    );
  }

  waitForClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.#waiters.wait(() => this.closeInfo, timeoutMs, 'waitForClose');
  }

  async close(): Promise<void> {
    if (this.closeInfo) return;
    this.#ws.close();
    await this.waitForClose();
  }
}
