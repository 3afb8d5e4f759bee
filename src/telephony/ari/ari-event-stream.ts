// The ARI events WebSocket (/ari/events?app=...), which also registers our Stasis app. We open
// it with `ws` rather than ari-client's start(): ari-client parses each message inside the
// socket listener, so one malformed or unexpected event is an uncaught exception that would
// end every call, and its reconnect loop offers no point to reconcile state afterwards. Here
// each message is decoded once, checked, and dropped with a count when it is not usable;
// a dropped socket is reopened with backoff and reported so the daemon can reconcile.
import WebSocket from 'ws';
import type { Logger } from '../../observability/logger.ts';
import { RepeatedWarning } from '../../observability/repeated-warning.ts';
import { basicAuthorization } from './ari-credentials.ts';
import { AriConnectError } from './ari-errors.ts';
import { decodeAriEvent } from './ari-event-decoder.ts';
import type { AriEvent } from './ari-types.ts';

export interface AriEventStreamOptions {
  origin: string;
  username: string;
  password: string;
  app: string;
  logger: Logger;
  reconnectMinDelayMs: number;
  reconnectMaxDelayMs: number;
}

export type AriStreamState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'replaced' | 'closed';

export interface AriEventStreamStats {
  received: number;
  malformed: number;
  unknownTypes: number;
  reconnects: number;
}

export interface AriEventStreamHandlers {
  onEvent: (event: AriEvent) => void;
  /** The socket is (re)open; `reconnected` is true after a drop, when state must be reconciled. */
  onConnected?: (reconnected: boolean) => void;
  onDisconnected?: () => void;
}

export class AriEventStream {
  readonly stats: AriEventStreamStats = { received: 0, malformed: 0, unknownTypes: 0, reconnects: 0 };
  readonly #options: AriEventStreamOptions;
  readonly #handlers: AriEventStreamHandlers;
  readonly #log: Logger;
  readonly #unknownTypesLogged = new Set<string>();
  readonly #malformedWarning = new RepeatedWarning();
  #socket: WebSocket | null = null;
  #state: AriStreamState = 'idle';
  #retryTimer: NodeJS.Timeout | null = null;
  #retryDelayMs: number;

  constructor(options: AriEventStreamOptions, handlers: AriEventStreamHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    this.#log = options.logger;
    this.#retryDelayMs = options.reconnectMinDelayMs;
  }

  get state(): AriStreamState {
    return this.#state;
  }

  get url(): string {
    const url = new URL('/ari/events', this.#options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('app', this.#options.app);
    url.searchParams.set('subscribeAll', 'false');
    return url.toString();
  }

  /** First connection: resolves when the app is registered, rejects with an operator-readable error. */
  connect(timeoutMs: number): Promise<void> {
    this.#state = 'connecting';
    return this.#open(timeoutMs).then(
      () => {
        this.#handlers.onConnected?.(false);
      },
      (error: AriConnectError) => {
        this.#state = 'closed';
        throw error;
      },
    );
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket === null || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.terminate(), 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    });
  }

  #open(timeoutMs: number): Promise<void> {
    const { origin, username, password } = this.#options;
    const socket = new WebSocket(this.url, {
      headers: { Authorization: basicAuthorization(username, password) },
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
    });
    this.#socket = socket;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      const fail = (reason: string) => {
        if (opened) return;
        opened = true;
        socket.terminate();
        reject(new AriConnectError(origin, reason));
      };
      socket.once('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        fail(
          status === 401
            ? `Asterisk rejected ARI user "${username}" on the events socket (HTTP 401)`
            : `the ARI events socket was refused (HTTP ${status})`,
        );
      });
      socket.on('error', (error) => fail(`events socket: ${error.message}`));
      socket.once('open', () => {
        if (opened) return;
        opened = true;
        this.#state = 'connected';
        this.#retryDelayMs = this.#options.reconnectMinDelayMs;
        resolve();
      });
      socket.on('message', (data, isBinary) => {
        if (this.#socket !== socket || isBinary) return;
        this.#onMessage(data.toString());
      });
      socket.on('close', (code) => {
        if (this.#socket !== socket || !opened) return;
        this.#socket = null;
        if (this.#state !== 'connected') return;
        this.#log.warn({ code }, 'ARI events socket dropped; reconnecting');
        this.#state = 'reconnecting';
        this.#handlers.onDisconnected?.();
        this.#scheduleReconnect();
      });
    });
  }

  #scheduleReconnect(): void {
    const delay = Math.round(this.#retryDelayMs * (0.5 + Math.random() / 2));
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#options.reconnectMaxDelayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#state !== 'reconnecting') return;
      this.#open(this.#options.reconnectMaxDelayMs).then(
        () => {
          this.stats.reconnects++;
          this.#log.info({ reconnects: this.stats.reconnects }, 'ARI events socket reconnected');
          this.#handlers.onConnected?.(true);
        },
        (error: Error) => {
          if (this.#state !== 'reconnecting') return;
          this.#log.warn({ reason: error.message }, 'ARI events socket reconnect failed');
          this.#scheduleReconnect();
        },
      );
    }, delay);
  }

  #onMessage(text: string): void {
    this.stats.received++;
    const decoded = decodeAriEvent(text);
    if (decoded.kind === 'malformed') {
      this.stats.malformed++;
      const count = this.#malformedWarning.occurred();
      if (count !== null) {
        this.#log.warn(
          { reason: decoded.reason, eventType: decoded.type, count },
          'dropped a malformed ARI event',
        );
      }
      return;
    }
    if (decoded.kind === 'unknown') {
      this.stats.unknownTypes++;
      // Bounded: a stream of invented type names must not grow it for the daemon's lifetime.
      if (!this.#unknownTypesLogged.has(decoded.type) && this.#unknownTypesLogged.size < 100) {
        this.#unknownTypesLogged.add(decoded.type);
        this.#log.debug({ eventType: decoded.type }, 'ignoring ARI event type');
      }
      return;
    }
    if (decoded.event.type === 'ApplicationReplaced') {
      // Another client registered our app name; reconnecting would only steal it back and forth.
      this.#log.error(
        { app: this.#options.app },
        'another ARI client took over this Stasis app; not reconnecting',
      );
      this.#state = 'replaced';
    }
    try {
      this.#handlers.onEvent(decoded.event);
    } catch (error) {
      this.#log.error({ err: error, eventType: decoded.event.type }, 'an ARI event handler failed');
    }
  }
}
