// One benchmark caller: calls in, waits for the greeting, talks over it (barge-in), stays quiet
// while the agent answers that turn, then hangs up. From the greeting on it sends a tagged 20 ms
// frame on its own absolute clock, quiet except while talking, recording when each left.
import type { FakeAsterisk, FakeCall, HeardPacket } from '../test/support/fake-asterisk/fake-asterisk.ts';
import { pollFor } from './child-processes.ts';
import { STASIS_APP } from './daemon-process.ts';
import type { TagCounter, TaggedFrameSource } from './tagged-frames.ts';
import { epochMs } from './wall-clock.ts';

export interface CallerScript {
  /** Talking starts this long after the greeting's first frame is heard. */
  bargeInAfterMs: number;
  /** How long the caller talks. */
  talkMs: number;
  /** The agent's reply counts as finished after this long without a frame. */
  replyEndQuietMs: number;
  /** Longest wait for each step (answer, greeting, reply). */
  stepTimeoutMs: number;
}

export interface SentFrame {
  tag: number;
  /** Epoch ms just before the fake Asterisk sent it to the daemon. */
  at: number;
  loud: boolean;
}

export interface CallerResult {
  index: number;
  channelId: string | null;
  firstHeardAt: number | null;
  talkFrom: number | null;
  talkUntil: number | null;
  sent: SentFrame[];
  heard: readonly HeardPacket[];
  /** Gateway packets wired to the caller before the call was answered. */
  unheard: number;
  completed: boolean;
  error: string | null;
}

export interface CallerContext {
  asterisk: FakeAsterisk;
  tags: TagCounter;
  frames: TaggedFrameSource;
  script: CallerScript;
}

const FRAME_MS = 20;

/** The caller's microphone: one tagged frame per 20 ms deadline, loud or quiet as told. */
class CallerVoice {
  readonly #call: FakeCall;
  readonly #ctx: CallerContext;
  readonly #sent: SentFrame[];
  readonly #talking: (at: number) => boolean;
  #timer: NodeJS.Timeout | null = null;
  #deadline = 0;
  #loudFrames = 0;

  constructor(call: FakeCall, ctx: CallerContext, sent: SentFrame[], talking: (at: number) => boolean) {
    this.#call = call;
    this.#ctx = ctx;
    this.#sent = sent;
    this.#talking = talking;
  }

  start(): void {
    this.#deadline = performance.now();
    this.#tick();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  readonly #tick = (): void => {
    const now = performance.now();
    // A phone's clock does not burst to catch up after the load generator stalled.
    this.#deadline = now - this.#deadline > 2 * FRAME_MS ? now + FRAME_MS : this.#deadline + FRAME_MS;
    this.#timer = setTimeout(this.#tick, Math.max(0, this.#deadline - now));
    const tag = this.#ctx.tags.next();
    const at = epochMs();
    const loud = this.#talking(at);
    const frame = loud ? this.#ctx.frames.loud(tag, this.#loudFrames++) : this.#ctx.frames.quiet(tag);
    const before = this.#call.framesSent;
    // Not real-time: the frame leaves synchronously, so `at` is its send time.
    void this.#call.sendAudio(frame, { realtime: false });
    if (this.#call.framesSent > before) this.#sent.push({ tag, at, loud });
  };
}

export async function runCaller(ctx: CallerContext, index: number): Promise<CallerResult> {
  const { asterisk, script } = ctx;
  const result: CallerResult = {
    index,
    channelId: null,
    firstHeardAt: null,
    talkFrom: null,
    talkUntil: null,
    sent: [],
    heard: [],
    unheard: 0,
    completed: false,
    error: null,
  };
  let call: FakeCall | null = null;
  let voice: CallerVoice | null = null;
  try {
    call = await asterisk.placeCall({
      did: '1000',
      callerNumber: `+1555${String(index).padStart(7, '0')}`,
      app: STASIS_APP,
    });
    result.channelId = call.channelId;
    const placed = call;
    await pollFor(() => (placed.state === 'Up' ? true : undefined), script.stepTimeoutMs, 'the answer');
    const first = await pollFor(() => placed.heard[0], script.stepTimeoutMs, 'the greeting');
    const talkFrom = first.at + script.bargeInAfterMs;
    const talkUntil = talkFrom + script.talkMs;
    result.firstHeardAt = first.at;
    result.talkFrom = talkFrom;
    result.talkUntil = talkUntil;
    voice = new CallerVoice(placed, ctx, result.sent, (at) => at >= talkFrom && at < talkUntil);
    voice.start();
    let scanned = 0;
    let replyStarted = false;
    await pollFor(
      () => {
        const heard = placed.heard;
        for (; !replyStarted && scanned < heard.length; scanned++) {
          const packet = heard[scanned]!;
          replyStarted = packet.marker && packet.at > talkUntil;
        }
        const last = heard.at(-1);
        return replyStarted && last && epochMs() - last.at > script.replyEndQuietMs ? true : undefined;
      },
      script.bargeInAfterMs + script.talkMs + script.stepTimeoutMs,
      'the reply to the caller to finish',
      25,
    );
    result.completed = true;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    voice?.stop();
    if (call) {
      // Frames still in flight reach the model before the call is torn down.
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (call.alive) call.hangup();
      result.heard = call.heard;
      result.unheard = call.unheard;
    }
  }
  return result;
}
