// The ARI HTTP server: authentication as res_ari does it (Basic, else ?api_key=user:pass), the
// Swagger documents, the declared operations, the events WebSocket upgrade, a log of every request
// and one-shot failures or delays injected by tests.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ARI_OPERATIONS, operationKey } from './ari-declarations.ts';
import {
  AriError,
  type AriHandler,
  AriParams,
  type AriResponse,
  type Interception,
  type RequestRecord,
} from './ari-http.ts';
import { AriRouter } from './ari-router.ts';
import { nowMs } from './asterisk-time.ts';
import type { EventSocketServer } from './event-socket.ts';
import type { Scheduler } from './scheduler.ts';
import { apiDeclaration, resourceListing } from './swagger-docs.ts';

export interface AriRestServerOptions {
  username: string;
  password: string;
  handlers: ReadonlyMap<string, AriHandler>;
  events: EventSocketServer;
  scheduler: Scheduler;
}

const SERVER_HEADERS = { Server: 'Asterisk/22.10.1', 'Cache-Control': 'no-cache, no-store' };

interface Incoming {
  method: string;
  pathname: string;
  query: Record<string, string>;
  params: Map<string, string>;
  variables: Record<string, string>;
}

export class AriRestServer {
  readonly requests: RequestRecord[] = [];
  #options: AriRestServerOptions;
  #router = new AriRouter(ARI_OPERATIONS);
  #interceptions: Interception[] = [];
  #server: http.Server;
  #port = 0;
  /** Handlers still running; close() waits for them so none creates sockets afterwards. */
  #inflight = new Set<Promise<void>>();
  /** Sockets taken over by the events WebSocket: the HTTP server no longer closes them itself. */
  #upgraded = new Set<Duplex>();
  #closing = false;

  constructor(options: AriRestServerOptions) {
    this.#options = options;
    this.#server = http.createServer((req, res) => this.#track(this.#handle(req, res)));
    this.#server.on('upgrade', (req, socket, head) => this.#track(this.#upgrade(req, socket, head)));
  }

  get port(): number {
    return this.#port;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  intercept(rule: Interception): void {
    this.#interceptions.push(rule);
  }

  listen(port = 0): Promise<void> {
    this.#closing = false;
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        if (address && typeof address === 'object') this.#port = address.port;
        resolve();
      });
    });
  }

  /** Stops accepting connections (clients get ECONNREFUSED) and drops the open ones. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const socket of this.#upgraded) socket.destroy();
    await new Promise<void>((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    await Promise.all(this.#inflight);
  }

  #track(work: Promise<void>): void {
    this.#inflight.add(work);
    void work.finally(() => this.#inflight.delete(work));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#options.scheduler.after(ms, resolve));
  }

  #authenticated(req: IncomingMessage, query: Record<string, string>): boolean {
    const { username, password } = this.#options;
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 && decoded.slice(0, colon) === username && decoded.slice(colon + 1) === password;
    }
    const apiKey = query['api_key'];
    if (apiKey === undefined) return false;
    const colon = apiKey.indexOf(':');
    return colon >= 0 && apiKey.slice(0, colon) === username && apiKey.slice(colon + 1) === password;
  }

  #takeInterception(method: string, pathname: string): Interception | undefined {
    const index = this.#interceptions.findIndex(
      (i) =>
        (i.method === undefined || i.method.toUpperCase() === method) &&
        (typeof i.path === 'string' ? i.path === pathname : i.path.test(pathname)),
    );
    return index >= 0 ? this.#interceptions.splice(index, 1)[0] : undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let incoming: Incoming | undefined;
    let nickname: string | undefined;
    let injected = false;
    let answer: AriResponse;
    try {
      incoming = await readRequest(req);
      const interception = this.#authenticated(req, incoming.query)
        ? this.#takeInterception(incoming.method, incoming.pathname)
        : undefined;
      if (interception?.delayMs) await this.#sleep(interception.delayMs);
      if (!this.#authenticated(req, incoming.query)) {
        answer = {
          status: 401,
          body: { message: 'Authentication required' },
          headers: { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' },
        };
      } else if (interception?.status) {
        injected = true;
        answer = {
          status: interception.status,
          body: { message: interception.message ?? 'Internal Server Error' },
        };
      } else {
        const routed = await this.#route(req, incoming);
        nickname = routed.nickname;
        answer = routed.answer;
      }
    } catch (err) {
      answer =
        err instanceof AriError
          ? { status: err.status, body: { message: err.message } }
          : { status: 500, body: { message: String(err) } };
    }
    const body = answer.body === undefined ? undefined : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...SERVER_HEADERS,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      'Content-Length': String(body === undefined ? 0 : Buffer.byteLength(body)),
      ...answer.headers,
    });
    res.end(body);
    this.requests.push({
      method: incoming?.method ?? req.method ?? '',
      path: incoming?.pathname ?? req.url ?? '',
      query: incoming?.query ?? {},
      status: answer.status,
      at: nowMs(),
      ...(nickname ? { nickname } : {}),
      ...(injected ? { injected } : {}),
    });
  }

  async #route(
    req: IncomingMessage,
    incoming: Incoming,
  ): Promise<{ answer: AriResponse; nickname?: string }> {
    const { method, pathname } = incoming;
    if (!pathname.startsWith('/ari/')) throw new AriError(404, 'Not Found');
    const host = req.headers.host ?? `127.0.0.1:${this.#port}`;
    if (pathname.startsWith('/ari/api-docs/')) {
      if (method !== 'GET') throw new AriError(405, 'Unsupported method');
      const file = pathname.slice('/ari/api-docs/'.length);
      const doc =
        file === 'resources.json' ? resourceListing(host) : apiDeclaration(file.replace(/\.json$/, ''), host);
      if (!doc || !file.endsWith('.json')) throw new AriError(404, 'Resource not found');
      return { answer: { status: 200, body: doc } };
    }
    const match = this.#router.match(method, pathname.slice('/ari'.length));
    if (match.kind === 'not-found') throw new AriError(404, 'Resource not found');
    if (match.kind === 'wrong-method') {
      return {
        answer: {
          status: 405,
          body: { message: 'Invalid method' },
          headers: { Allow: match.allowed.join(',') },
        },
      };
    }
    const { op } = match;
    if (op.upgrade)
      return { answer: { status: 426, body: { message: 'Upgrade Required' } }, nickname: op.nickname };
    const params = new AriParams(incoming.params);
    for (const p of op.parameters) {
      if (p.required && p.paramType === 'query' && !params.has(p.name)) {
        throw new AriError(400, p.missingMessage ?? `Missing required parameter: ${p.name}`);
      }
    }
    const handler = this.#options.handlers.get(operationKey(op));
    if (!handler) throw new AriError(501, 'Not Implemented');
    const answer = await handler({ op, path: match.path, params, variables: incoming.variables });
    return { answer, nickname: op.nickname };
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const record = (status: number, injected = false): void => {
      this.requests.push({
        method: 'GET',
        path: url.pathname,
        query,
        status,
        at: nowMs(),
        ...(injected ? { injected } : {}),
      });
    };
    const refuse = (status: number, reason: string, body: string, extra = ''): void => {
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nServer: Asterisk/22.10.1\r\n${extra}Content-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      record(status);
    };
    socket.on('error', () => {});
    if (this.#closing) {
      socket.destroy();
      return;
    }
    this.#upgraded.add(socket);
    socket.on('close', () => this.#upgraded.delete(socket));
    if (!this.#authenticated(req, query)) {
      refuse(
        401,
        'Unauthorized',
        JSON.stringify({ message: 'Authentication required' }),
        'WWW-Authenticate: Basic realm="Asterisk REST Interface"\r\n',
      );
      return;
    }
    const interception = this.#takeInterception('GET', url.pathname);
    if (interception?.delayMs) await this.#sleep(interception.delayMs);
    if (this.#closing) {
      socket.destroy();
      return;
    }
    if (interception?.status) {
      refuse(
        interception.status,
        'Injected',
        JSON.stringify({ message: interception.message ?? 'Internal Server Error' }),
      );
      this.requests.at(-1)!.injected = true;
      return;
    }
    if (url.pathname !== '/ari/events') {
      refuse(404, 'Not Found', JSON.stringify({ message: 'Resource not found' }));
      return;
    }
    const apps = (query['app'] ?? '').split(',').filter((a) => a !== '');
    if (apps.length === 0) {
      refuse(400, 'Bad Request', JSON.stringify({ message: "Missing param 'app'" }));
      return;
    }
    const subscribeAll = ['yes', 'true', 'y', 't', '1', 'on'].includes(
      (query['subscribeAll'] ?? '').toLowerCase(),
    );
    this.#options.events.upgrade(req, socket, head, apps, subscribeAll);
    record(101);
  }
}

async function readRequest(req: IncomingMessage): Promise<Incoming> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  const params = new Map<string, string>();
  const contentType = req.headers['content-type'] ?? '';
  // Form fields come first and query parameters override them; JSON body fields override both.
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(raw)) params.set(k, v);
  }
  for (const [k, v] of url.searchParams) params.set(k, v);
  const variables: Record<string, string> = {};
  if (raw.trim() !== '' && contentType.startsWith('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new AriError(400, 'Error parsing request body');
    }
    if (body && typeof body === 'object') {
      for (const [k, v] of Object.entries(body)) {
        if (k === 'variables' && v && typeof v === 'object') {
          for (const [name, value] of Object.entries(v)) {
            const text =
              typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value;
            if (typeof text !== 'string') {
              throw new AriError(400, "Only string values in the 'variables' object allowed");
            }
            variables[name] = text;
          }
        } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
          params.set(k, String(v));
        }
      }
    }
  }
  return { method: req.method ?? 'GET', pathname: url.pathname, query, params, variables };
}
