// Connects to the fake's events WebSocket as an ARI application and keeps what arrives.

import WebSocket from 'ws';
import type { FakeAsterisk } from '../../support/fake-asterisk/fake-asterisk.ts';
import { waitUntil } from '../../support/fake-asterisk/wait-until.ts';

// biome-ignore lint/suspicious/noExplicitAny: events are checked field by field in tests.
export type AnyEvent = Record<string, any>;

export class EventCollector {
  readonly events: AnyEvent[] = [];
  readonly raw: string[] = [];
  closed = false;
  closeCode: number | undefined;
  #ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      try {
        this.events.push(JSON.parse(text));
      } catch {
        // malformed text stays in `raw`
      }
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    ws.on('error', () => {});
  }

  static connect(asterisk: FakeAsterisk, app = 'callbridge', extraQuery = ''): Promise<EventCollector> {
    const url = `ws://127.0.0.1:${asterisk.port}/ari/events?app=${app}&api_key=${asterisk.username}:${asterisk.password}${extraQuery}`;
    const ws = new WebSocket(url);
    const collector = new EventCollector(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(collector));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  types(): string[] {
    return this.events.map((e) => String(e['type']));
  }

  /** Event types concerning one channel, in order. */
  typesFor(channelId: string): string[] {
    return this.events
      .filter((e) => e['channel']?.id === channelId || e['peer']?.id === channelId)
      .map((e) => String(e['type']));
  }

  async waitFor(predicate: (e: AnyEvent) => boolean, timeoutMs = 2000): Promise<AnyEvent> {
    await waitUntil(() => this.events.some(predicate), timeoutMs, 'an event');
    return this.events.find(predicate) as AnyEvent;
  }

  waitForType(type: string, channelId?: string, timeoutMs = 2000): Promise<AnyEvent> {
    return this.waitFor(
      (e) => e['type'] === type && (channelId === undefined || e['channel']?.id === channelId),
      timeoutMs,
    );
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#ws.once('close', () => resolve());
      this.#ws.close();
    });
  }
}
