import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ChangeWaiters } from './change-waiters.ts';
import { defaultFakeRealtimeOptions, type FakeRealtimeOptions } from './fake-realtime-options.ts';
import { FakeRealtimeSession } from './fake-realtime-session.ts';
import {
  defaultRejectionBody,
  invalidApiKeyBody,
  openAiErrorBody,
  writeUpgradeRejection,
} from './upgrade-rejection.ts';
import { wallClockMs } from './wall-clock.ts';

export type { TextItemRecord, ToolOutputRecord } from './client-items.ts';
export type { TruncationRecord } from './conversation-events.ts';
export type { ReplyAudioContext, TextReplyContext, UpgradeRejection } from './fake-realtime-options.ts';
export type {
  ReceivedClientEvent,
  SentServerEvent,
  SessionCloseInfo,
  UnrecognizedClientMessage,
} from './fake-realtime-session.ts';
export type { ToolCallRecord } from './function-call-events.ts';
export type { AudioAppendRecord } from './input-audio-turns.ts';
export type { CallToolOptions, StartResponseOptions, VadEventRecord } from './realtime-protocol.ts';
export type { AudioDeltaRecord, FakeResponseRecord } from './response-streamer.ts';
export type { FakeSessionObject } from './session-config.ts';
export type { TextResponseRecord } from './text-response-streamer.ts';
export type { FakeRealtimeOptions, FakeRealtimeSession };

export type FakeRealtimeStartOptions = Partial<FakeRealtimeOptions>;

export interface UpgradeAttempt {
  at: number;
  url: string;
  headers: IncomingHttpHeaders;
  outcome: 'accepted' | 'rejected' | 'unauthorized' | 'bad_request' | 'not_found' | 'stalled';
  status: number | undefined;
}

/** Extra HTTP routes on the same port (the CLI's /_stats); return true when handled. */
export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const realtimePath = '/v1/realtime';

// A fake OpenAI Realtime (GA) WebSocket server on loopback, for driving the daemon in tests:
//   const rt = await FakeRealtimeServer.start({ firstAudioDelayMs: 300 });
//   // point the daemon at rt.baseUrl with key 'sk-test-fake', place a call, then:
//   const session = await rt.waitForSession();
//   await session.waitForSent('response.done');
//   await rt.stop();
export class FakeRealtimeServer {
  /** Every accepted connection, in order. */
  readonly sessions: FakeRealtimeSession[] = [];
  /** Every upgrade request, accepted or not. */
  readonly upgradeAttempts: UpgradeAttempt[] = [];
  #options: FakeRealtimeOptions;
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #stalled = new Set<Duplex>();
  readonly #httpHandlers: HttpRequestHandler[] = [];
  readonly #waiters = new ChangeWaiters();
  #port = 0;
  #stopped = false;

  private constructor(options: FakeRealtimeOptions) {
    this.#options = options;
    this.#http = createServer((req, res) => this.#onRequest(req, res));
    this.#http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );
  }

  static async start(options: FakeRealtimeStartOptions = {}): Promise<FakeRealtimeServer> {
    const server = new FakeRealtimeServer(withDefaults(defaultFakeRealtimeOptions, options));
    await server.#listen();
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** The REST-style base URL (`http://127.0.0.1:PORT/v1`); clients map it to ws:// themselves. */
  get baseUrl(): string {
    return `http://${this.#options.host}:${this.#port}/v1`;
  }

  get options(): Readonly<FakeRealtimeOptions> {
    return this.#options;
  }

  /** Changes behaviour for later connections and responses. */
  setOptions(partial: FakeRealtimeStartOptions): void {
    this.#options = withDefaults(this.#options, partial);
  }

  onHttpRequest(handler: HttpRequestHandler): void {
    this.#httpHandlers.push(handler);
  }

  waitForSession(index = 0, timeoutMs = 5000): Promise<FakeRealtimeSession> {
    return this.#waiters.wait(() => this.sessions[index], timeoutMs, `waitForSession(${index})`);
  }

  /** Resolves once at least `count` upgrade requests (of any outcome) have arrived. */
  waitForUpgradeAttempts(count: number, timeoutMs = 5000): Promise<UpgradeAttempt[]> {
    return this.#waiters.wait(
      () => (this.upgradeAttempts.length >= count ? this.upgradeAttempts : undefined),
      timeoutMs,
      `waitForUpgradeAttempts(${count})`,
    );
  }

  /** Closes every socket and timer; afterwards the server holds no handles. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const session of this.sessions) session.shutdown();
    for (const socket of this.#stalled) socket.destroy();
    this.#stalled.clear();
    this.#waiters.failAll(new Error('fake realtime server stopped'));
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
    // 'close' fires a tick before libuv releases the listening handle; let that happen too, so a
    // caller counting active handles right after stop() sees none of ours.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }

  async #listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.#options.port, this.#options.host, () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#http.address() as AddressInfo).port;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    for (const handler of this.#httpHandlers) if (handler(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    const status = path === realtimePath ? 426 : 404;
    const message = status === 426 ? 'Upgrade to WebSocket required.' : `Invalid URL (${req.method} ${path})`;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(openAiErrorBody(message, 'invalid_request_error', null)));
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    if (this.#stopped) {
      socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const record = (outcome: UpgradeAttempt['outcome'], status: number | undefined): void => {
      this.upgradeAttempts.push({
        at: wallClockMs(),
        url: req.url ?? '',
        headers: req.headers,
        outcome,
        status,
      });
      this.#waiters.notify();
    };
    const options = this.#options;
    const rejection = upgradeRejection(url, req.headers, options);
    if (rejection) {
      record(rejection.outcome, rejection.status);
      writeUpgradeRejection(socket, rejection.status, rejection.body);
      return;
    }
    const model = url.searchParams.get('model') ?? '';
    if (options.stallHandshake) {
      record('stalled', undefined);
      this.#stalled.add(socket);
      socket.on('close', () => this.#stalled.delete(socket));
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.#stopped) {
        ws.terminate();
        return;
      }
      const session = new FakeRealtimeSession({
        ws,
        index: this.sessions.length,
        model,
        url: req.url ?? '',
        headers: req.headers,
        options: () => this.#options,
      });
      this.sessions.push(session);
      record('accepted', 101);
      session.open();
    });
  }
}

// Why an upgrade is refused, checked in the order the real endpoint would: path, auth, model.
function upgradeRejection(
  url: URL,
  headers: IncomingHttpHeaders,
  options: FakeRealtimeOptions,
): { outcome: UpgradeAttempt['outcome']; status: number; body: unknown } | undefined {
  if (url.pathname !== realtimePath) {
    const body = openAiErrorBody(`Invalid URL (GET ${url.pathname})`, 'invalid_request_error', null);
    return { outcome: 'not_found', status: 404, body };
  }
  if (options.rejectUpgrade) {
    const { status, body } = options.rejectUpgrade;
    return { outcome: 'rejected', status, body: body ?? defaultRejectionBody(status) };
  }
  const presented = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (presented !== options.apiKey)
    return { outcome: 'unauthorized', status: 401, body: invalidApiKeyBody(presented) };
  if (!url.searchParams.get('model')) {
    const body = openAiErrorBody(
      "Missing required parameter: 'model'.",
      'invalid_request_error',
      'missing_required_parameter',
      'model',
    );
    return { outcome: 'bad_request', status: 400, body };
  }
  return undefined;
}

function withDefaults(base: FakeRealtimeOptions, partial: FakeRealtimeStartOptions): FakeRealtimeOptions {
  const merged: FakeRealtimeOptions = { ...base };
  const writable = merged as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(partial)) {
    // An explicit undefined clears the optional hooks but keeps defaults for required values.
    if (value !== undefined || key === 'replyAudio' || key === 'rejectUpgrade') writable[key] = value;
  }
  return merged;
}
