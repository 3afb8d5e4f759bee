// The two clocks of a conversation. Max duration: a warning turn some time before the limit,
// then a polite end. Caller silence: when neither side has spoken for idleTimeoutSec the agent
// asks whether the caller is still there, and if the silence goes on the call ends. Time the
// agent spends talking does not count as caller silence.

export interface ConversationTimerSettings {
  maxCallDurationSec: number | null;
  durationWarningSec: number;
  idleTimeoutSec: number | null;
}

export interface ConversationTimerActions {
  warnDuration(): void;
  endForDuration(): void;
  repromptIdle(): void;
  endForIdle(): void;
}

export class ConversationTimers {
  readonly #settings: ConversationTimerSettings;
  readonly #actions: ConversationTimerActions;
  #warnTimer: NodeJS.Timeout | null = null;
  #endTimer: NodeJS.Timeout | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #reprompted = false;
  #stopped = false;

  constructor(settings: ConversationTimerSettings, actions: ConversationTimerActions) {
    this.#settings = settings;
    this.#actions = actions;
  }

  /** The call was answered. */
  start(): void {
    const { maxCallDurationSec, durationWarningSec } = this.#settings;
    if (maxCallDurationSec !== null) {
      const warnAtMs = (maxCallDurationSec - durationWarningSec) * 1000;
      if (warnAtMs > 0) this.#warnTimer = setTimeout(() => this.#actions.warnDuration(), warnAtMs);
      this.#endTimer = setTimeout(() => {
        this.#clearIdle();
        this.#actions.endForDuration();
      }, maxCallDurationSec * 1000);
    }
  }

  /** The caller spoke or pressed a key: the silence is over. */
  callerActive(): void {
    this.#reprompted = false;
    this.#clearIdle();
  }

  /** The caller stopped speaking: silence counts from now unless the agent answers. */
  callerQuiet(): void {
    this.#armIdle();
  }

  agentSpeaking(): void {
    this.#clearIdle();
  }

  /** The agent's audio has played out: silence counts from now. */
  agentQuiet(): void {
    this.#armIdle();
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of [this.#warnTimer, this.#endTimer]) if (timer !== null) clearTimeout(timer);
    this.#warnTimer = this.#endTimer = null;
    this.#clearIdle();
  }

  #armIdle(): void {
    const { idleTimeoutSec } = this.#settings;
    if (idleTimeoutSec === null || this.#stopped) return;
    this.#clearIdle();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#reprompted) {
        this.#actions.endForIdle();
      } else {
        this.#reprompted = true;
        this.#actions.repromptIdle();
      }
    }, idleTimeoutSec * 1000);
  }

  #clearIdle(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}
