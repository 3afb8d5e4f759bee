// Where a call gets its Realtime session. Without a pool, each call opens its own while the
// phone rings. With a pool (pool.size > 0), N sessions per agent are kept open and configured
// ahead of calls: a call claims one, which only needs its per-call settings (instructions with
// the caller's memory) applied, and the pool refills. Idle sessions are recycled before the
// provider's session time limit and all are closed on shutdown, so nothing is left open.
import type { Logger } from '../../observability/logger.ts';
import {
  RealtimeAgentSession,
  type RealtimeSessionError,
  type ResilienceSettings,
} from './realtime-agent-session.ts';
import type { RealtimeEndpoint } from './realtime-connection.ts';
import type { AgentVoiceSettings } from './realtime-session-config.ts';

export interface AcquiredSession {
  session: RealtimeAgentSession;
  /** Open and configured with the call's settings. */
  ready: Promise<void>;
  pooled: boolean;
}

export interface SessionSourceOptions {
  endpoint: (model: string) => RealtimeEndpoint;
  logger: Logger;
  /** Sessions kept ready per agent; 0 turns the pool off. */
  sizePerAgent: number;
  /** Idle sessions older than this are closed and replaced. */
  maxAgeMs: number;
  connectTimeoutMs: number;
  resilience: ResilienceSettings;
}

interface Idle {
  session: RealtimeAgentSession;
}

const idleListener = (log: Logger, onFailed: () => void) => ({
  failed: (error: RealtimeSessionError) => {
    log.warn({ cause: error.message }, 'a pooled Realtime session failed while idle');
    onFailed();
  },
  restored: () => undefined,
  transcript: () => undefined,
  bargedIn: () => undefined,
  callerSpeech: () => undefined,
  toolCall: () => undefined,
  responseCreated: () => undefined,
  responseDone: () => undefined,
});

const noOutput = {
  enqueue: () => undefined,
  interrupt: () => ({ itemId: null, playedMs: 0, droppedBytes: 0 }),
  playedMs: () => 0,
  isPlaying: () => false,
};

export class RealtimeSessionSource {
  readonly #options: SessionSourceOptions;
  readonly #idle = new Map<string, Idle[]>();
  readonly #filling = new Map<string, number>();
  readonly #warmVoices = new Map<string, AgentVoiceSettings>();
  #recycleTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: SessionSourceOptions) {
    this.#options = options;
    if (options.sizePerAgent > 0) {
      this.#recycleTimer = setInterval(() => this.#recycle(), Math.min(60_000, options.maxAgeMs / 4));
      this.#recycleTimer.unref();
    }
  }

  get pooled(): number {
    let count = 0;
    for (const list of this.#idle.values()) count += list.length;
    return count;
  }

  /** Keeps `sizePerAgent` sessions ready for this agent, configured with its base settings. */
  warm(agentId: string, voice: AgentVoiceSettings): void {
    if (this.#options.sizePerAgent <= 0 || this.#closed) return;
    this.#warmVoices.set(agentId, voice);
    this.#fill(agentId);
  }

  acquire(agentId: string, voice: AgentVoiceSettings): AcquiredSession {
    const idle = this.#idle.get(agentId);
    const claimed = idle?.shift();
    if (claimed && !claimed.session.isOpen) void claimed.session.close();
    if (claimed?.session.isOpen) {
      this.#fill(agentId);
      return {
        session: claimed.session,
        ready: claimed.session.reconfigure(voice, this.#options.connectTimeoutMs),
        pooled: true,
      };
    }
    const session = this.#create(voice);
    return { session, ready: session.open(this.#options.connectTimeoutMs), pooled: false };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#recycleTimer !== null) clearInterval(this.#recycleTimer);
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    await Promise.all(all.map((idle) => idle.session.close()));
  }

  #create(voice: AgentVoiceSettings): RealtimeAgentSession {
    return new RealtimeAgentSession({
      endpoint: this.#options.endpoint(voice.model),
      voice,
      logger: this.#options.logger,
      resilience: this.#options.resilience,
    });
  }

  #fill(agentId: string): void {
    const voice = this.#warmVoices.get(agentId);
    if (!voice || this.#closed) return;
    const have = (this.#idle.get(agentId)?.length ?? 0) + (this.#filling.get(agentId) ?? 0);
    for (let i = have; i < this.#options.sizePerAgent; i++) {
      this.#filling.set(agentId, (this.#filling.get(agentId) ?? 0) + 1);
      const session = this.#create(voice);
      const log = this.#options.logger.child({ pool: agentId });
      session.attach(
        noOutput,
        idleListener(log, () => this.#drop(agentId, session)),
        log,
      );
      session.open(this.#options.connectTimeoutMs).then(
        () => {
          this.#filling.set(agentId, (this.#filling.get(agentId) ?? 1) - 1);
          if (this.#closed) return void session.close();
          const list = this.#idle.get(agentId) ?? [];
          list.push({ session });
          this.#idle.set(agentId, list);
        },
        (error: Error) => {
          this.#filling.set(agentId, (this.#filling.get(agentId) ?? 1) - 1);
          log.warn({ cause: error.message }, 'could not open a pooled Realtime session');
          void session.close();
        },
      );
    }
  }

  #drop(agentId: string, session: RealtimeAgentSession): void {
    const list = this.#idle.get(agentId);
    const index = list?.findIndex((idle) => idle.session === session) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    void session.close();
    this.#fill(agentId);
  }

  #recycle(): void {
    const now = performance.now();
    for (const [agentId, list] of this.#idle) {
      for (const idle of [...list]) {
        // The provider's session limit counts from when the socket opened.
        if (now - idle.session.openedAt >= this.#options.maxAgeMs) this.#drop(agentId, idle.session);
      }
    }
  }
}
