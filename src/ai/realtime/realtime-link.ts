// The Realtime socket behind one conversation, kept alive across trouble. If it drops mid-call a
// new one is opened, configured and given the conversation so far (as text items) within about
// a second, several times if needed, before the call is given up; caller audio arriving
// meanwhile is held and sent once restored. Before the provider's session time limit a fresh
// socket is prepared in the background and swapped in at a quiet moment, so the caller notices
// nothing. Every socket's events are tagged with the link they came from, so a late event from a
// replaced socket does nothing.
import type { Logger } from '../../observability/logger.ts';
import {
  type RealtimeConnectError,
  RealtimeConnection,
  type RealtimeEndpoint,
} from './realtime-connection.ts';
import {
  type DecodedServerEvent,
  encodeAudioAppend,
  isBenignErrorCode,
  type RealtimeClientEvent,
  type RealtimeServerEvent,
} from './realtime-protocol.ts';
import { type AgentVoiceSettings, buildSessionUpdate } from './realtime-session-config.ts';

export type SessionFailure = 'connect_failed' | 'configure_failed' | 'timeout' | 'disconnected';

export class RealtimeSessionError extends Error {
  readonly failure: SessionFailure;
  constructor(failure: SessionFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RealtimeSessionError';
    this.failure = failure;
  }
}

/** One turn of the conversation so far, replayed into a new socket. */
export interface HistoryTurn {
  role: 'user' | 'assistant' | 'system';
  text: string;
}

export interface LinkOwner {
  /** A decoded event from the socket in use. */
  event(decoded: DecodedServerEvent): void;
  history(): readonly HistoryTurn[];
  /** Nobody is speaking and no response is running: a good moment to swap sockets. */
  quiet(): boolean;
  /** The conversation continues on a new socket. */
  restored(how: 'reconnected' | 'rolled_over'): void;
  /** Every attempt to restore the conversation failed. */
  lost(error: RealtimeSessionError): void;
}

export interface ResilienceSettings {
  reconnectAttempts: number;
  reconnectTimeoutMs: number;
  /** Swap to a fresh socket this long after opening; 0 never. */
  rolloverAfterMs: number;
}

interface Link {
  connection: RealtimeConnection;
  configured: { resolve: () => void; reject: (error: Error) => void } | null;
  openedAt: number;
}

/** Caller audio held while reconnecting: 2 s of 20 ms frames. */
const MAX_HELD_FRAMES = 100;
const QUIET_POLL_MS = 100;
/** A rollover waits at most this long for a quiet moment, then swaps anyway. */
const MAX_QUIET_WAIT_MS = 60_000;

export class RealtimeLink {
  readonly #endpoint: RealtimeEndpoint;
  readonly #owner: LinkOwner;
  readonly #resilience: ResilienceSettings;
  #voice: AgentVoiceSettings;
  #log: Logger;
  #link: Link;
  #recovering = false;
  #held: string[] = [];
  #rolloverTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: {
    endpoint: RealtimeEndpoint;
    voice: AgentVoiceSettings;
    owner: LinkOwner;
    logger: Logger;
    resilience: ResilienceSettings;
  }) {
    this.#endpoint = options.endpoint;
    this.#voice = options.voice;
    this.#owner = options.owner;
    this.#log = options.logger;
    this.#resilience = options.resilience;
    this.#link = this.#newLink();
  }

  get isOpen(): boolean {
    return this.#link.connection.isOpen;
  }

  /** When the socket in use opened (a rollover resets it). */
  get openedAt(): number {
    return this.#link.openedAt;
  }

  get voice(): AgentVoiceSettings {
    return this.#voice;
  }

  set logger(logger: Logger) {
    this.#log = logger;
  }

  /** Connects and configures; resolves once session.updated confirms the settings. */
  async open(timeoutMs: number): Promise<void> {
    await this.#openLink(this.#link, timeoutMs);
    this.#scheduleRollover();
  }

  reconfigure(voice: AgentVoiceSettings, timeoutMs: number): Promise<void> {
    this.#voice = voice;
    return this.#configure(this.#link, timeoutMs);
  }

  send(event: RealtimeClientEvent): boolean {
    // Items are in the history and replayed; ids of the old socket mean nothing to the next.
    if (this.#recovering) return false;
    return this.#link.connection.send(event);
  }

  /** A caller frame; held (bounded) while the conversation is being restored. */
  appendAudio(base64: string): boolean {
    if (this.#recovering) {
      if (this.#held.length >= MAX_HELD_FRAMES) this.#held.shift();
      this.#held.push(base64);
      return false;
    }
    return this.#link.connection.sendRaw(encodeAudioAppend(base64));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#rolloverTimer !== null) clearTimeout(this.#rolloverTimer);
    this.#rolloverTimer = null;
    await this.#link.connection.close();
  }

  #newLink(): Link {
    // The handlers run only once the socket is open, by when `link` is assigned.
    const link: Link = {
      connection: new RealtimeConnection(this.#endpoint, {
        onEvent: (decoded) => this.#onEvent(link, decoded),
        onClose: (code, reason, expected) => this.#onClose(link, code, reason, expected),
      }),
      configured: null,
      openedAt: 0,
    };
    return link;
  }

  async #openLink(link: Link, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    try {
      await link.connection.open(timeoutMs);
    } catch (error) {
      const cause = error as RealtimeConnectError;
      const failure = cause.message.startsWith('no connection') ? 'timeout' : 'connect_failed';
      throw new RealtimeSessionError(failure, cause.message, { cause });
    }
    link.openedAt = performance.now();
    await this.#configure(link, Math.max(0, deadline - performance.now()));
  }

  async #configure(link: Link, timeoutMs: number): Promise<void> {
    const configured = new Promise<void>((resolve, reject) => {
      link.configured = { resolve, reject };
    });
    link.connection.send(buildSessionUpdate(this.#voice));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RealtimeSessionError('timeout', `session not configured within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([configured, timeout]);
    } finally {
      clearTimeout(timer);
      link.configured = null;
    }
  }

  #onEvent(link: Link, decoded: DecodedServerEvent): void {
    if (decoded.ok && link.configured !== null) {
      const event: RealtimeServerEvent = decoded.event;
      if (event.type === 'session.updated') link.configured.resolve();
      else if (event.type === 'error' && !isBenignErrorCode(event.error.code)) {
        link.configured.reject(
          new RealtimeSessionError(
            'configure_failed',
            `the Realtime API rejected the session settings: ${event.error.message}`,
          ),
        );
      }
    }
    // A socket being prepared (reconnect, rollover) speaks to nobody until it is swapped in.
    if (link === this.#link) this.#owner.event(decoded);
  }

  #onClose(link: Link, code: number, reason: string, expected: boolean): void {
    if (expected || this.#closed) return;
    const error = new RealtimeSessionError(
      'disconnected',
      `the Realtime socket closed unexpectedly (code ${code}${reason ? `, ${reason}` : ''})`,
    );
    if (link.configured !== null) {
      link.configured.reject(error);
      return;
    }
    if (link !== this.#link) return;
    this.#log.warn({ code, reason }, 'Realtime socket dropped; restoring the conversation');
    void this.#recover(error);
  }

  async #recover(cause: RealtimeSessionError): Promise<void> {
    if (this.#recovering || this.#closed) return;
    this.#recovering = true;
    const { reconnectAttempts, reconnectTimeoutMs } = this.#resilience;
    let lastError: Error = cause;
    for (let attempt = 1; attempt <= reconnectAttempts && !this.#closed; attempt++) {
      const link = this.#newLink();
      try {
        await this.#openLink(link, reconnectTimeoutMs);
        if (this.#closed) {
          await link.connection.close();
          return;
        }
        this.#replay(link, 0);
        this.#swapTo(link);
        this.#log.info({ attempt }, 'Realtime conversation restored on a new socket');
        this.#owner.restored('reconnected');
        return;
      } catch (error) {
        lastError = error as Error;
        this.#log.warn({ attempt, cause: lastError.message }, 'Realtime reconnect attempt failed');
        await link.connection.close();
        if (attempt < reconnectAttempts) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    this.#recovering = false;
    this.#held = [];
    if (this.#closed) return;
    this.#owner.lost(
      new RealtimeSessionError(
        'disconnected',
        `the Realtime session could not be restored after ${reconnectAttempts} attempts: ${lastError.message}`,
        { cause: lastError },
      ),
    );
  }

  #scheduleRollover(): void {
    const after = this.#resilience.rolloverAfterMs;
    if (after <= 0 || this.#closed) return;
    this.#rolloverTimer = setTimeout(() => {
      this.#rolloverTimer = null;
      void this.#rollover();
    }, after);
  }

  async #rollover(): Promise<void> {
    if (this.#recovering || this.#closed) return;
    const link = this.#newLink();
    const mark = this.#owner.history().length;
    try {
      await this.#openLink(link, this.#resilience.reconnectTimeoutMs * 3);
      this.#replay(link, 0, mark);
      const waitUntil = performance.now() + MAX_QUIET_WAIT_MS;
      while (!this.#owner.quiet() && performance.now() < waitUntil && !this.#closed && !this.#recovering) {
        await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS));
      }
      if (this.#closed || this.#recovering) throw new Error('the call ended or the socket dropped first');
      if (!link.connection.isOpen) throw new Error('the fresh socket closed before the swap');
      this.#replay(link, mark);
      const old = this.#link;
      this.#swapTo(link);
      await old.connection.close();
      this.#log.info('rolled over to a fresh Realtime session');
      this.#owner.restored('rolled_over');
    } catch (error) {
      this.#log.warn(
        { cause: (error as Error).message },
        'Realtime rollover failed; keeping the current session',
      );
      await link.connection.close();
    }
    this.#scheduleRollover();
  }

  /** Gives a new socket the conversation so far, turns [from, to). */
  #replay(link: Link, from: number, to?: number): void {
    for (const turn of this.#owner.history().slice(from, to)) {
      const text = turn.text;
      link.connection.send({
        type: 'conversation.item.create',
        item:
          turn.role === 'assistant'
            ? { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }
            : { type: 'message', role: turn.role, content: [{ type: 'input_text', text }] },
      });
    }
  }

  #swapTo(link: Link): void {
    this.#link = link;
    this.#recovering = false;
    const held = this.#held;
    this.#held = [];
    for (const base64 of held) link.connection.sendRaw(encodeAudioAppend(base64));
  }
}
