// The operator's HTTP server: loopback by default, an optional bearer token, and a list of
// route handlers (the calls API now; health and metrics join it). Each handler answers the
// requests it knows and returns false for the rest.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../observability/logger.ts';

export type AdminRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface AdminServerOptions {
  host: string;
  port: number;
  /** Required as `Authorization: Bearer <token>` when set. */
  token: string;
  routes: readonly AdminRoute[];
  /** Paths served without the token (e.g. /healthz for a container probe). */
  publicPaths?: readonly string[];
  log: Logger;
}

export class AdminServer {
  readonly #server: Server;
  readonly #options: AdminServerOptions;

  private constructor(server: Server, options: AdminServerOptions) {
    this.#server = server;
    this.#options = options;
  }

  static async start(options: AdminServerOptions): Promise<AdminServer> {
    const server = createServer();
    const admin = new AdminServer(server, options);
    server.on('request', (req, res) => void admin.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    options.log.info(
      { host: options.host, port: admin.port, auth: options.token ? 'bearer' : 'none' },
      'admin HTTP server listening',
    );
    return admin;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!(this.#options.publicPaths ?? []).includes(path) && !this.#authorized(req)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: 'a valid bearer token is required' }));
      return;
    }
    try {
      for (const route of this.#options.routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no such path: ${path}` }));
    } catch (error) {
      this.#options.log.error({ cause: (error as Error).message, path }, 'admin request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  }

  #authorized(req: IncomingMessage): boolean {
    const token = this.#options.token;
    if (!token) return true;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
