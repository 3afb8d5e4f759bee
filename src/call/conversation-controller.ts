// Runs a call's conversation once it is answered: the agent session's listener. It records what
// is said, runs the tools the model calls (end_call, transfer_call, forget_me, webhooks), turns
// keypad input into turns or key actions, keeps the duration and silence clocks, and sequences
// "say this, let it play out, then act" for goodbyes and transfers.
import type { AgentDefinition, DtmfKeyAction } from '../agents/agent-definition.ts';
import type {
  AgentSessionListener,
  BargeInDecision,
  RealtimeAgentSession,
  RealtimeSessionError,
  ToolCallRequest,
  TranscriptTurn,
} from '../ai/realtime/realtime-agent-session.ts';
import type { RtpPacer } from '../media/rtp/rtp-pacer.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallRecorder } from './call-recorder.ts';
import { ConversationTimers } from './conversation-timers.ts';
import { DtmfCollector } from './dtmf-collector.ts';
import type { ToolRunner } from './tool-runner.ts';

export type ConversationEnd = 'agent_ended' | 'max_duration' | 'caller_idle';

export interface ConversationActions {
  /** End the call now (the goodbye has played out). */
  end(reason: ConversationEnd): void;
  /** Transfer now (the announcement has played out); resolves with a failure reason, or null once transferred. */
  transfer(target: string): Promise<string | null>;
  /** The session failed mid-call. */
  failed(error: RealtimeSessionError): void;
}

/** Something to do once a response is done and its audio has played out. */
interface AfterPlayout {
  /** The response to wait for; null until the one we asked for is created. */
  responseId: string | null;
  /** Our response.create has been sent: the next response created is the one to wait for. */
  requested: boolean;
  responseDone: boolean;
  then: () => void;
}

export class ConversationController implements AgentSessionListener {
  readonly #agent: RealtimeAgentSession;
  readonly #pacer: RtpPacer;
  readonly #definition: AgentDefinition;
  readonly #recorder: CallRecorder;
  readonly #tools: ToolRunner;
  readonly #actions: ConversationActions;
  readonly #log: Logger;
  readonly #timers: ConversationTimers;
  readonly #dtmf: DtmfCollector;
  /** Tool calls still running, per response; the model speaks again when all are answered. */
  readonly #pendingTools = new Map<string, { running: number; responseDone: boolean; followUp: boolean }>();
  /** A response asked for while another was running; sent when that one is done. */
  #queued: { instructions: string | undefined } | null = null;
  #afterPlayout: AfterPlayout | null = null;
  #finishing = false;

  constructor(options: {
    agent: RealtimeAgentSession;
    pacer: RtpPacer;
    definition: AgentDefinition;
    recorder: CallRecorder;
    tools: ToolRunner;
    actions: ConversationActions;
    log: Logger;
  }) {
    this.#agent = options.agent;
    this.#pacer = options.pacer;
    this.#definition = options.definition;
    this.#recorder = options.recorder;
    this.#tools = options.tools;
    this.#actions = options.actions;
    this.#log = options.log;
    const { maxCallDurationSec, durationWarningSec, idleTimeoutSec, dtmf } = this.#definition;
    this.#timers = new ConversationTimers(
      { maxCallDurationSec, durationWarningSec, idleTimeoutSec },
      {
        warnDuration: () =>
          this.#say(
            `Politely tell the caller that the call will have to end in about ${durationWarningSec} seconds.`,
          ),
        endForDuration: () =>
          this.#sayThen('The time limit for this call is reached. Say a brief, polite goodbye.', () =>
            this.#actions.end('max_duration'),
          ),
        repromptIdle: () =>
          this.#say('The caller has been silent for a while. Ask briefly whether they are still there.'),
        endForIdle: () =>
          this.#sayThen('The caller is still silent. Say a brief goodbye; you are ending the call.', () =>
            this.#actions.end('caller_idle'),
          ),
      },
    );
    this.#dtmf = new DtmfCollector({
      interDigitTimeoutMs: dtmf.interDigitTimeoutMs,
      keys: dtmf.keys,
      onDigits: (digits) => this.#keypadToModel(digits),
      onKeyAction: (key, action) => this.#keyAction(key, action),
    });
  }

  /** The call is answered: the clocks start. */
  start(): void {
    this.#timers.start();
    this.#timers.agentQuiet();
  }

  stop(): void {
    this.#finishing = true;
    this.#timers.stop();
    this.#dtmf.stop();
  }

  /** The service is closing: the agent says goodbye, then `then` runs once it has played out. */
  goodbye(then: () => void): void {
    if (this.#finishing) {
      then();
      return;
    }
    this.#sayThen('This line is closing now. Apologise briefly to the caller and say goodbye.', then);
  }

  keypad(digit: string): void {
    if (this.#finishing) return;
    this.#timers.callerActive();
    this.#dtmf.press(digit);
  }

  /** The pacer finished playing a talk spurt. */
  playedOut(): void {
    this.#timers.agentQuiet();
    this.#runAfterPlayoutIfDone();
  }

  // --- AgentSessionListener ---

  failed(error: RealtimeSessionError): void {
    this.#actions.failed(error);
  }

  restored(how: 'reconnected' | 'rolled_over', cutOff: boolean): void {
    this.#recorder.note(
      how === 'reconnected'
        ? 'The AI connection dropped and was restored; the conversation continued.'
        : 'Moved to a fresh AI session before the session time limit.',
    );
    // Responses of the old socket will never be done: whatever waited on them goes ahead now.
    for (const responseId of [...this.#pendingTools.keys()]) {
      const entry = this.#pendingTools.get(responseId);
      if (entry) entry.responseDone = true;
      this.#maybeFollowUp(responseId);
    }
    const after = this.#afterPlayout;
    if (after?.responseId) {
      after.responseDone = true;
      this.#runAfterPlayoutIfDone();
      return;
    }
    if (cutOff && this.#queued === null && after === null) {
      this.#say(
        'The line dropped for a moment while you were speaking. Briefly say you were cut off and continue where you were.',
      );
    } else {
      this.#sendQueued();
    }
  }

  transcript(turn: TranscriptTurn): void {
    this.#recorder.transcript(turn);
  }

  bargedIn(decision: BargeInDecision): void {
    this.#recorder.bargeIn(decision);
  }

  callerSpeech(state: 'started' | 'stopped'): void {
    if (state === 'started') this.#timers.callerActive();
    else this.#timers.callerQuiet();
  }

  toolCall(call: ToolCallRequest): void {
    const entry = this.#pendingTools.get(call.responseId) ?? {
      running: 0,
      responseDone: false,
      followUp: true,
    };
    entry.running++;
    this.#pendingTools.set(call.responseId, entry);
    // Read now: once the response is done the session forgets whether it spoke.
    const spokeFirst = this.#agent.responseHasAudio(call.responseId);
    void this.#tools.run(call, this.#definition).then((outcome) => {
      this.#agent.sendToolOutput(call.callId, outcome.result);
      if (outcome.action) {
        entry.followUp = false;
        this.#startAction(outcome.action, call.responseId, spokeFirst);
      }
      entry.running--;
      this.#maybeFollowUp(call.responseId);
    });
  }

  responseCreated(responseId: string | undefined): void {
    const after = this.#afterPlayout;
    if (after?.requested && after.responseId === null && responseId) after.responseId = responseId;
  }

  responseDone(info: {
    responseId: string | undefined;
    status: string | undefined;
    hadAudio: boolean;
  }): void {
    if (info.hadAudio) this.#timers.agentSpeaking();
    const after = this.#afterPlayout;
    if (after && after.responseId !== null && after.responseId === info.responseId) after.responseDone = true;
    if (info.responseId) {
      const entry = this.#pendingTools.get(info.responseId);
      if (entry) {
        entry.responseDone = true;
        this.#maybeFollowUp(info.responseId);
      }
    }
    this.#runAfterPlayoutIfDone();
    this.#sendQueued();
  }

  // --- sequencing ---

  #startAction(
    action: { kind: 'end' } | { kind: 'transfer'; target: string },
    responseId: string,
    responseSpoke: boolean,
  ): void {
    if (action.kind === 'end') {
      const end = () => this.#actions.end('agent_ended');
      if (responseSpoke) this.#afterCurrentPlayout(responseId, end);
      else this.#sayThen('Say a brief, warm goodbye to the caller now.', end);
      return;
    }
    const transfer = () => void this.#transfer(action.target);
    if (responseSpoke) this.#afterCurrentPlayout(responseId, transfer);
    else this.#sayThen('Tell the caller in one short sentence that you are transferring them now.', transfer);
  }

  async #transfer(target: string): Promise<void> {
    this.#recorder.note(`transfer to ${target} started`);
    const failure = await this.#actions.transfer(target);
    if (failure === null || this.#finishing) return;
    this.#recorder.note(`transfer to ${target} failed: ${failure}`);
    this.#agent.addSystemNote(
      `The transfer to ${target} did not go through (${failure}). Tell the caller and offer help.`,
    );
    this.#say();
  }

  #keypadToModel(digits: string): void {
    this.#recorder.keypad(digits, 'model');
    this.#log.info({ digits }, 'caller pressed keys');
    this.#agent.addCallerText(`(The caller pressed on the phone keypad: ${digits.split('').join(' ')})`);
    this.#say();
  }

  #keyAction(key: string, action: DtmfKeyAction): void {
    this.#recorder.keypad(key, 'key_action');
    this.#log.info({ key, action: action.action }, 'caller pressed a mapped key');
    if (action.action === 'end_call') {
      this.#sayThen('The caller chose to end the call. Say a brief goodbye.', () =>
        this.#actions.end('agent_ended'),
      );
    } else {
      const target = action.target;
      this.#sayThen(
        `The caller asked to be transferred. Tell them in one short sentence you are transferring them.`,
        () => void this.#transfer(target),
      );
    }
  }

  /** Asks the model to speak (now, or when the running response is done). */
  #say(instructions?: string): void {
    if (this.#finishing) return;
    this.#queued = { instructions };
    this.#sendQueued();
  }

  /** Asks the model to speak, then runs `then` once what it said has played out. */
  #sayThen(instructions: string, then: () => void): void {
    if (this.#finishing) return;
    this.#afterPlayout = { responseId: null, requested: false, responseDone: false, then };
    this.#say(instructions);
  }

  /** Runs `then` once the response that is speaking now is done and played out. */
  #afterCurrentPlayout(responseId: string, then: () => void): void {
    this.#afterPlayout = { responseId, requested: true, responseDone: !this.#agent.hasActiveResponse, then };
    this.#runAfterPlayoutIfDone();
  }

  #sendQueued(): void {
    const queued = this.#queued;
    if (queued === null || this.#agent.hasActiveResponse) return;
    this.#queued = null;
    const after = this.#afterPlayout;
    if (after && after.responseId === null) after.requested = true;
    this.#agent.createResponse(queued.instructions);
  }

  #maybeFollowUp(responseId: string): void {
    const entry = this.#pendingTools.get(responseId);
    if (!entry || entry.running > 0 || !entry.responseDone) return;
    this.#pendingTools.delete(responseId);
    if (entry.followUp) this.#say();
  }

  #runAfterPlayoutIfDone(): void {
    const after = this.#afterPlayout;
    if (after === null || !after.responseDone || this.#pacer.isPlaying) return;
    this.#afterPlayout = null;
    after.then();
  }
}
