// The events WebSocket (GET /ari/events?app=...): registers Stasis applications while a socket is
// connected, replaces an app's earlier socket as Asterisk does, and can be made to misbehave.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { asteriskTimestamp } from './asterisk-time.ts';
import type { EventSink, SentEvent } from './event-router.ts';

interface Session {
  ws: WebSocket;
  apps: Set<string>;
  subscribeAll: boolean;
}

export class EventSocketServer implements EventSink {
  /** Called with every event this server sends on its own (ApplicationReplaced). */
  onSent: (event: SentEvent) => void = () => {};
  #wss = new WebSocketServer({
    noServer: true,
    // Asterisk speaks the `ari` subprotocol when asked; clients usually ask for none.
    handleProtocols: (protocols) => (protocols.has('ari') ? 'ari' : false),
  });
  #sessions = new Set<Session>();
  #owners = new Map<string, Session>();
  #asteriskId: string;

  constructor(asteriskId: string) {
    this.#asteriskId = asteriskId;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, apps: string[], subscribeAll: boolean): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#register(ws, apps, subscribeAll));
  }

  isRegistered(app: string): boolean {
    return this.#owners.has(app);
  }

  registeredApps(): string[] {
    return [...this.#owners.keys()];
  }

  get connectionCount(): number {
    return this.#sessions.size;
  }

  deliver(app: string, text: string): boolean {
    const session = this.#owners.get(app);
    if (!session || session.ws.readyState !== session.ws.OPEN) return false;
    session.ws.send(text);
    return true;
  }

  subscribeAllApps(): string[] {
    return [...this.#owners].filter(([, s]) => s.subscribeAll).map(([app]) => app);
  }

  /** Sends arbitrary text to every connected socket; returns how many got it. */
  sendRaw(text: string): number {
    let count = 0;
    for (const s of this.#sessions) {
      if (s.ws.readyState === s.ws.OPEN) {
        s.ws.send(text);
        count++;
      }
    }
    return count;
  }

  /** Closes every socket abruptly (no close frame); the apps are unregistered at once. */
  dropAll(): void {
    for (const s of [...this.#sessions]) this.#unregister(s);
    for (const s of [...this.#sessions]) s.ws.terminate();
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  #register(ws: WebSocket, apps: string[], subscribeAll: boolean): void {
    const session: Session = { ws, apps: new Set(apps), subscribeAll };
    this.#sessions.add(session);
    ws.on('close', () => {
      this.#unregister(session);
      this.#sessions.delete(session);
    });
    ws.on('error', () => {});
    for (const app of apps) {
      const previous = this.#owners.get(app);
      if (previous && previous !== session) this.#replace(previous, app);
      this.#owners.set(app, session);
    }
  }

  #replace(previous: Session, app: string): void {
    const event: SentEvent = {
      type: 'ApplicationReplaced',
      timestamp: asteriskTimestamp(),
      asterisk_id: this.#asteriskId,
      application: app,
    };
    if (previous.ws.readyState === previous.ws.OPEN) {
      previous.ws.send(JSON.stringify(event));
      this.onSent(event);
    }
    previous.apps.delete(app);
    this.#unregister(previous);
    previous.ws.close(1000);
  }

  #unregister(session: Session): void {
    for (const [app, owner] of this.#owners) if (owner === session) this.#owners.delete(app);
  }
}
