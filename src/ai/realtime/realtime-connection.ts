// One WebSocket to the Realtime API. The daemon opens it with `ws` itself (the SDK's
// OpenAIRealtimeWS always forces wss://, which rules out plain ws:// endpoints such as a local
// proxy); OpenAI, Azure and a test server all go through this same code. Every socket callback
// first checks that its socket is still the current one, so a late event from a replaced or
// closed socket does nothing.
import WebSocket from 'ws';
import { type DecodedServerEvent, decodeServerEvent, type RealtimeClientEvent } from './realtime-protocol.ts';

export type RealtimeConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'closing' }
  | { kind: 'closed'; code: number; reason: string; expected: boolean };

export class RealtimeConnectError extends Error {
  /** HTTP status of a refused upgrade, if the server answered one. */
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'RealtimeConnectError';
    this.status = status;
    this.retryable = status === undefined || status >= 500 || status === 429;
  }
}

export interface RealtimeEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string;
  authStyle: 'bearer' | 'api-key';
}

export interface RealtimeConnectionHandlers {
  onEvent: (decoded: DecodedServerEvent) => void;
  /** The socket closed; `expected` is false when callbridge did not ask for it. */
  onClose: (code: number, reason: string, expected: boolean) => void;
}

/** <baseUrl>/realtime?model=M with http→ws and https→wss. */
export function realtimeUrl(baseUrl: string, model: string): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/realtime`);
  if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol === 'http:') url.protocol = 'ws:';
  url.searchParams.set('model', model);
  return url.toString();
}

export class RealtimeConnection {
  readonly #endpoint: RealtimeEndpoint;
  readonly #handlers: RealtimeConnectionHandlers;
  #socket: WebSocket | null = null;
  #state: RealtimeConnectionState = { kind: 'idle' };
  #closing: Promise<void> | null = null;
  bytesSent = 0;

  constructor(endpoint: RealtimeEndpoint, handlers: RealtimeConnectionHandlers) {
    this.#endpoint = endpoint;
    this.#handlers = handlers;
  }

  get state(): RealtimeConnectionState {
    return this.#state;
  }

  get isOpen(): boolean {
    return this.#state.kind === 'open';
  }

  /** Opens the socket; rejects with RealtimeConnectError on refusal, error or timeout. */
  open(timeoutMs: number): Promise<void> {
    if (this.#state.kind !== 'idle') return Promise.reject(new Error('RealtimeConnection.open called twice'));
    const { baseUrl, model, apiKey, authStyle } = this.#endpoint;
    const headers: Record<string, string> =
      authStyle === 'api-key' ? { 'api-key': apiKey } : { Authorization: `Bearer ${apiKey}` };
    const socket = new WebSocket(realtimeUrl(baseUrl, model), { headers, perMessageDeflate: false });
    this.#socket = socket;
    this.#state = { kind: 'connecting' };

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: RealtimeConnectError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#state = { kind: 'closed', code: 1006, reason: error.message, expected: false };
        socket.terminate();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new RealtimeConnectError(`no connection to the Realtime API within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        fail(new RealtimeConnectError(`the Realtime API refused the connection (HTTP ${status})`, status));
      });
      socket.once('open', () => {
        if (settled || this.#socket !== socket) return;
        settled = true;
        clearTimeout(timer);
        this.#state = { kind: 'open' };
        resolve();
      });
      socket.on('error', (error) => {
        fail(new RealtimeConnectError(`cannot reach the Realtime API: ${error.message}`));
      });
      socket.on('message', (data, isBinary) => {
        if (this.#socket !== socket || isBinary) return;
        this.#handlers.onEvent(decodeServerEvent(data.toString()));
      });
      socket.on('close', (code, reasonBuffer) => {
        if (this.#socket !== socket) return;
        const expected = this.#state.kind === 'closing';
        const reason = reasonBuffer.toString();
        const wasOpen = this.#state.kind === 'open' || expected;
        this.#state = { kind: 'closed', code, reason, expected };
        this.#socket = null;
        if (wasOpen) this.#handlers.onClose(code, reason, expected);
      });
    });
  }

  send(event: RealtimeClientEvent): boolean {
    return this.sendRaw(JSON.stringify(event));
  }

  /** Sends an already-encoded client event (the per-frame audio append). */
  sendRaw(text: string): boolean {
    const socket = this.#socket;
    if (socket === null || this.#state.kind !== 'open') return false;
    socket.send(text);
    this.bytesSent += text.length;
    return true;
  }

  /** Closes with a normal close frame; an unresponsive peer is cut off after `graceMs`. */
  close(graceMs = 1000): Promise<void> {
    const socket = this.#socket;
    if (socket === null) {
      if (this.#state.kind !== 'closed')
        this.#state = { kind: 'closed', code: 1000, reason: '', expected: true };
      return Promise.resolve();
    }
    this.#closing ??= new Promise<void>((resolve) => {
      this.#state = { kind: 'closing' };
      const timer = setTimeout(() => socket.terminate(), graceMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'call ended');
    });
    return this.#closing;
  }
}
