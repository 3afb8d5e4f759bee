// The simulated call, stage by stage: it rings in, the caller hears the greeting, asks for
// something, cuts the agent's long reply short, hears the answer and hangs up. Each stage waits
// for what should happen, fails saying what did not, and puts what happened on the timeline.
// Every figure comes from the fakes' recordings (epoch ms, one clock) or the daemon's log lines.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DaemonHarness, LogLine } from '../../test/support/daemon-harness.ts';
import { nowMs } from '../../test/support/fake-asterisk/asterisk-time.ts';
import type { FakeCall, HeardPacket } from '../../test/support/fake-asterisk/fake-asterisk.ts';
import type {
  FakeRealtimeSession,
  FakeResponseRecord,
} from '../../test/support/fake-realtime/fake-realtime-server.ts';
import type { TimedAudio } from './caller-side-recording.ts';
import { reportHangup } from './hangup-report.ts';
import {
  audioMs,
  check,
  expectStage,
  field,
  heardBetween,
  isNumber,
  isRecord,
  transcriptOf,
} from './scenario-checks.ts';
import {
  AGENT_LINES,
  CALLER_LINES,
  CALLER_TONE_HZ,
  callerAudio,
  type SpokenLine,
} from './simulated-voices.ts';
import { ms, seconds, type Timeline } from './timeline.ts';

const CALLER = { number: '+15551234567', name: 'Simulated Caller', did: '1000' } as const;

/** How much of the agent's reply the caller listens to before cutting in. */
const INTERRUPT_AFTER_MS = 1200;
/** The caller's pause before speaking or hanging up. */
const PAUSE_MS = 400;
/** The longest any single step may take. */
const WAIT_MS = 5000;
/** Agent audio still reaching the caller this long after they cut in means barge-in failed. */
const BARGE_IN_LIMIT_MS = 500;

/** When the caller spoke (epoch ms): first frame sent, end of the last frame. */
interface Spoken {
  at: number;
  endAt: number;
}

interface Answered {
  call: FakeCall;
  session: FakeRealtimeSession;
  answeredAt: number;
}

export class CallScenario {
  readonly #harness: DaemonHarness;
  readonly #timeline: Timeline;
  readonly #spoken: TimedAudio[] = [];
  #call: FakeCall | null = null;

  constructor(harness: DaemonHarness, timeline: Timeline) {
    this.#harness = harness;
    this.#timeline = timeline;
  }

  /** The caller, once the call was placed: what it heard is there even if a later stage failed. */
  get call(): FakeCall | null {
    return this.#call;
  }

  /** What the caller said, when. */
  get spoken(): readonly TimedAudio[] {
    return this.#spoken;
  }

  /** Plays the whole call; resolves with when the caller hung up (epoch ms). */
  async run(): Promise<number> {
    const answered = await this.#arrive();
    await this.#greeting(answered);
    await sleep(PAUSE_MS);
    const request = await this.#callerAsks(answered);
    const reply = await this.#agentReplies(answered, request);
    const interruption = await this.#callerInterrupts(answered, reply);
    await this.#agentAnswers(answered, interruption);
    await sleep(PAUSE_MS);
    const hungUpAt = nowMs();
    answered.call.hangup();
    this.#timeline.at(hungUpAt, 'caller hangs up');
    await reportHangup(this.#harness, this.#timeline, answered.call, hungUpAt, answered.session);
    return hungUpAt;
  }

  async #arrive(): Promise<Answered> {
    const harness = this.#harness;
    const t = this.#timeline;
    const call = await expectStage(
      'the daemon taking the call',
      harness.placeCall({ did: CALLER.did, callerNumber: CALLER.number, callerName: CALLER.name }),
    );
    this.#call = call;
    const ofCall = (line: LogLine) => line['channelId'] === call.channelId;
    const arrived = await expectStage("the 'call arrived' log", harness.waitForLog('call arrived', ofCall));
    await expectStage('the answer', call.waitForState('Up', WAIT_MS));
    const answeredLog = await expectStage(
      "the 'call answered' log",
      harness.waitForLog('call answered', ofCall),
    );
    const session = await expectStage('a Realtime session', harness.realtime.waitForSession(0, WAIT_MS));

    const request = (nickname: string) => {
      const found = harness.asterisk.requests.find((r) => r.nickname === nickname && r.at >= t.origin);
      check(found !== undefined, () => `the daemon never sent Asterisk a '${nickname}' request`);
      return found!;
    };
    const ring = request('ring');
    const bridged = request('addChannel');
    const answer = request('answer');
    const configured = session.sent.find((s) => s.event.type === 'session.updated');
    check(configured !== undefined, () => 'the Realtime session was never configured');
    const peer = field(answeredLog, 'rtpPeer', isRecord);

    t.at(
      t.origin,
      `call arrives from ${arrived['caller']} to ${arrived['dialled']} (${call.name}, state ${arrived['state']})`,
    );
    t.at(ring.at, 'ringing; meanwhile the daemon opens a Realtime session and builds the media path');
    t.at(session.connectedAt, '  Realtime WebSocket open');
    t.at(configured!.at, '  Realtime session configured (session.updated)');
    t.at(
      bridged.at,
      `  media path bridged: snoop on the caller + externalMedia channel, RTP ` +
        `${answeredLog['localPort']} <-> ${peer['address']}:${peer['port']}`,
    );
    t.at(
      answer.at,
      `answered (${field(answeredLog, 'preparedMs', isNumber)} ms after arrival, all prepared while ringing)`,
    );
    t.flush();
    return { call, session, answeredAt: answer.at };
  }

  async #greeting({ call, session, answeredAt }: Answered): Promise<void> {
    const t = this.#timeline;
    const greeting = await expectStage(
      'the greeting',
      session.waitFor(() => (session.responses[0]?.status === 'completed' ? session.responses[0] : null)),
    );
    const heard = await this.#heardInFull('the greeting', call, greeting);
    const first = heard[0]!;
    const last = heard.at(-1)!;
    const firstSent = await expectStage(
      "the 'first agent audio sent' log",
      this.#harness.waitForLog('first agent audio sent', (line) => line['channelId'] === call.channelId),
    );
    const said = await this.#agentSaid(greeting);
    const requested = session.received.find((r) => r.event.type === 'response.create');

    if (requested) t.at(requested.at, '  daemon asks the model for the greeting (response.create)');
    t.at(first.at, `greeting: first audio reaches the caller ${ms(first.at - answeredAt)} after answer`);
    t.detail(
      `(daemon: first frame sent ${ms(field(firstSent, 'afterAnswerMs', isNumber))} after answer; ` +
        `the fake model waited ${ms(greeting.firstDeltaAt! - greeting.createdAt)} before its first audio)`,
    );
    t.at(last.at + 20, `greeting done: ${seconds(audioMs(heard))} of agent audio heard`);
    t.detail(`agent said: "${transcriptOf(said)}"`);
    t.flush();
  }

  async #callerAsks({ call, session }: Answered): Promise<Spoken> {
    const t = this.#timeline;
    this.#harness.realtime.setOptions({
      callerTranscript: CALLER_LINES.request.transcript,
      replyTranscript: AGENT_LINES.reply.transcript,
    });
    const spoken = await this.#speak(call, CALLER_LINES.request);
    const started = await expectStage(
      'the model hearing the caller start',
      session.waitFor(() => session.vadEvents.find((e) => e.type === 'speech_started' && e.at >= spoken.at)),
    );
    const stopped = await expectStage(
      'the model hearing the caller stop',
      session.waitFor(() => session.vadEvents.find((e) => e.type === 'speech_stopped' && e.at >= spoken.at)),
    );
    const said = await expectStage(
      "the 'caller said' log",
      this.#harness.waitForLog('caller said', (line) => line['itemId'] === stopped.itemId),
    );

    t.at(spoken.at, `caller speaks (${seconds(spoken.endAt - spoken.at)}, ${CALLER_TONE_HZ} Hz tone)`);
    t.at(started.at, `  model hears speech start (${ms(started.at - spoken.at)} after the caller began)`);
    t.at(stopped.at, `  model hears speech stop (${ms(stopped.at - spoken.endAt)} after the caller stopped)`);
    t.detail(`caller said (fake transcription): "${transcriptOf(said)}"`);
    t.flush();
    return spoken;
  }

  async #agentReplies({ call, session }: Answered, request: Spoken): Promise<FakeResponseRecord> {
    const t = this.#timeline;
    const reply = await expectStage(
      'the model starting its reply',
      session.waitFor(() => session.responses.find((r) => r.createdAt >= request.at && r.firstDeltaAt)),
    );
    await expectStage(
      `the caller hearing ${ms(INTERRUPT_AFTER_MS)} of the reply`,
      this.#harness.asterisk.waitFor(
        () => audioMs(heardBetween(call.heard, reply.firstDeltaAt!)) >= INTERRUPT_AFTER_MS,
        WAIT_MS,
      ),
    );
    const first = heardBetween(call.heard, reply.firstDeltaAt!)[0]!;
    t.at(
      first.at,
      `agent replies: first audio reaches the caller ${ms(first.at - request.endAt)} after they stopped`,
    );
    t.detail(
      `(model: ${ms(reply.createdAt - request.endAt)} to decide the turn was over, ` +
        `${ms(reply.firstDeltaAt! - reply.createdAt)} to its first audio; gateway ` +
        `${ms(first.at - reply.firstDeltaAt!)}; the reply is ${seconds(reply.audio.length / 8)} long)`,
    );
    t.flush();
    return reply;
  }

  async #callerInterrupts({ call, session }: Answered, reply: FakeResponseRecord): Promise<Spoken> {
    const t = this.#timeline;
    const harness = this.#harness;
    harness.realtime.setOptions({
      callerTranscript: CALLER_LINES.interruption.transcript,
      replyTranscript: AGENT_LINES.answer.transcript,
    });
    const heardBefore = audioMs(heardBetween(call.heard, reply.firstDeltaAt!));
    const speaking = this.#speak(call, CALLER_LINES.interruption);
    const bargeIn = await expectStage(
      "the daemon's barge-in ('caller interrupted the agent')",
      harness.waitForLog('caller interrupted the agent', (line) => line['channelId'] === call.channelId),
    );
    const spoken = await speaking;
    const started = await expectStage(
      'the model hearing the interruption',
      session.waitFor(() => session.vadEvents.find((e) => e.type === 'speech_started' && e.at >= spoken.at)),
    );
    const truncation = await expectStage(
      'conversation.item.truncate',
      session.waitFor(() => session.truncations.find((r) => r.itemId === reply.itemId)),
    );
    const stopped = await expectStage(
      'the model hearing the interruption end',
      session.waitFor(() => session.vadEvents.find((e) => e.type === 'speech_stopped' && e.at >= spoken.at)),
    );
    const callerSaid = await expectStage(
      "the 'caller said' log for the interruption",
      harness.waitForLog('caller said', (line) => line['itemId'] === stopped.itemId),
    );
    const agentSaid = await this.#agentSaid(reply);

    // Everything of the reply that reached the caller; the answer only starts after `stopped`.
    const replyHeard = heardBetween(call.heard, reply.firstDeltaAt!, stopped.at);
    const last = replyHeard.at(-1)!;
    const callerHeardMs = audioMs(replyHeard);
    const daemonHeardMs = field(bargeIn, 'heardMs', isNumber);
    check(
      last.at - spoken.at < BARGE_IN_LIMIT_MS,
      () => `the agent kept talking ${ms(last.at - spoken.at)} after the caller cut in`,
    );
    check(
      truncation.accepted && truncation.audioEndMs === daemonHeardMs,
      () =>
        `the truncation (audio_end_ms ${truncation.audioEndMs}, accepted ${truncation.accepted}) ` +
        `does not match the daemon's heardMs ${daemonHeardMs}`,
    );
    check(
      Math.abs(callerHeardMs - truncation.audioEndMs) < 20,
      () =>
        `the item was truncated at ${truncation.audioEndMs} ms but the caller heard ${callerHeardMs} ms of it`,
    );
    const cancelSent = session.receivedOfType('response.cancel').some((e) => e.response_id === reply.id);
    const crossed = session.sentOfType('error').some((e) => e.error.code === 'response_cancel_not_active');
    const modelSide =
      reply.status === 'cancelled'
        ? `the model had streamed ${seconds(reply.bytesSent / 8)} of its ${seconds(reply.audio.length / 8)} ` +
          `reply and cancelled it itself (${reply.cancelReason})`
        : `the model had already streamed all ${seconds(reply.audio.length / 8)} of its reply`;
    t.at(
      spoken.at,
      `caller interrupts after hearing ${seconds(heardBefore)} of the reply ` +
        `(${seconds(spoken.endAt - spoken.at)}, ${CALLER_TONE_HZ} Hz)`,
    );
    t.at(started.at, `  model hears the caller (${ms(started.at - spoken.at)} after they began)`);
    t.at(
      harness.loggedAt(bargeIn),
      `  daemon barges in ${ms(harness.loggedAt(bargeIn) - started.at)} after speech_started: drops ` +
        `${ms(field(bargeIn, 'droppedMs', isNumber))} of queued reply${cancelSent ? ', sends response.cancel' : ''}, ` +
        `truncates the item at ${ms(truncation.audioEndMs)}`,
    );
    t.at(
      last.at + 20,
      `  agent silent at the caller ${ms(last.at + 20 - spoken.at)} after the interruption began`,
    );
    t.detail(
      `the caller heard ${ms(callerHeardMs)} of the reply, ` +
        (callerHeardMs === truncation.audioEndMs
          ? 'exactly what the item was truncated to'
          : `within a frame of the ${ms(truncation.audioEndMs)} it was truncated to`),
    );
    t.detail(
      crossed
        ? `${modelSide}; the daemon's response.cancel crossed that (response_cancel_not_active, ignored)`
        : modelSide,
    );
    t.detail(
      agentSaid['interrupted'] === true
        ? `agent's transcript, cut off: "${transcriptOf(agentSaid)}"`
        : `agent's transcript (all streamed before the interruption): "${transcriptOf(agentSaid)}"`,
    );
    t.at(stopped.at, `  model hears the caller stop; caller said: "${transcriptOf(callerSaid)}"`);
    t.flush();
    return spoken;
  }

  async #agentAnswers({ call, session }: Answered, interruption: Spoken): Promise<void> {
    const t = this.#timeline;
    const answer = await expectStage(
      'the agent answering the interruption',
      session.waitFor(() =>
        session.responses.find((r) => r.createdAt >= interruption.at && r.status === 'completed'),
      ),
    );
    const heard = await this.#heardInFull('the answer', call, answer);
    const said = await this.#agentSaid(answer);
    t.at(
      heard[0]!.at,
      `agent answers: first audio reaches the caller ${ms(heard[0]!.at - interruption.endAt)} after they stopped`,
    );
    t.at(heard.at(-1)!.at + 20, `agent done: ${seconds(audioMs(heard))} heard in full`);
    t.detail(`agent said: "${transcriptOf(said)}"`);
    t.flush();
  }

  /** The caller says `line`, at a phone's pace; resolves once the last frame is out. */
  async #speak(call: FakeCall, line: SpokenLine): Promise<Spoken> {
    const audio = callerAudio(line, call.format);
    const at = nowMs();
    this.#spoken.push({ at, audio });
    const result = await call.sendAudio(audio);
    check(
      result.delivered === result.frames,
      () => `only ${result.delivered} of the caller's ${result.frames} frames reached the daemon`,
    );
    return { at, endAt: at + result.frames * 20 };
  }

  async #heardInFull(what: string, call: FakeCall, response: FakeResponseRecord): Promise<HeardPacket[]> {
    await expectStage(
      `the caller hearing all of ${what}`,
      this.#harness.asterisk.waitFor(
        () => audioMs(heardBetween(call.heard, response.firstDeltaAt!)) >= response.audio.length / 8,
        WAIT_MS,
      ),
    );
    return heardBetween(call.heard, response.firstDeltaAt!);
  }

  #agentSaid(response: FakeResponseRecord): Promise<LogLine> {
    return expectStage(
      "the 'agent said' log",
      this.#harness.waitForLog('agent said', (line) => line['itemId'] === response.itemId),
    );
  }
}
