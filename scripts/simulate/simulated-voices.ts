// What the two simulated speakers say and sound like. The recording has to tell them apart by
// ear: the agent speaks in short 660 Hz beeps, the caller in a steady, lower 300 Hz tone. The
// transcripts are the fake model's script; it "transcribes" whatever it hears as the next line.
import { type G711Format, tone } from '../../test/support/fake-asterisk/g711.ts';
import type { ReplyAudioContext } from '../../test/support/fake-realtime/fake-realtime-server.ts';
import { type ToneSegment, toneAudio } from '../../test/support/fake-realtime/tone-audio.ts';

export const AGENT_TONE_HZ = 660;
export const CALLER_TONE_HZ = 300;

const BEEP_MS = 250;
const GAP_MS = 50;

export interface SpokenLine {
  durationMs: number;
  transcript: string;
}

/** The agent's responses in order: the greeting, the reply the caller cuts off, the answer after. */
export const AGENT_LINES = {
  greeting: {
    durationMs: 1500,
    transcript: 'Thank you for calling Harbour Dental, how can I help you today?',
  },
  reply: {
    durationMs: 5000,
    transcript:
      'Of course. I can see your appointment on Tuesday at ten. We have openings on Thursday morning, Friday morning and Friday afternoon, and next Monday at nine.',
  },
  answer: { durationMs: 1200, transcript: 'Friday at three it is. See you then!' },
} as const satisfies Record<string, SpokenLine>;

export const CALLER_LINES = {
  request: { durationMs: 1200, transcript: 'Hi, I need to move my appointment this week.' },
  interruption: { durationMs: 800, transcript: 'Friday afternoon, please.' },
} as const satisfies Record<string, SpokenLine>;

/** The fake model's `replyAudio`: each response in the session's output format. */
export function agentAudio(ctx: ReplyAudioContext): Buffer {
  const lines = [AGENT_LINES.greeting, AGENT_LINES.reply, AGENT_LINES.answer];
  const line = lines[Math.min(ctx.responseIndex, lines.length - 1)]!;
  return toneAudio(ctx.format, beeps(line.durationMs));
}

/** The caller's voice for one line, in the call's G.711 format. */
export function callerAudio(line: SpokenLine, format: G711Format): Buffer {
  return tone(CALLER_TONE_HZ, line.durationMs, format);
}

function beeps(durationMs: number): ToneSegment[] {
  const segments: ToneSegment[] = [];
  for (let left = durationMs; left > 0; left -= BEEP_MS + GAP_MS) {
    segments.push({ hz: AGENT_TONE_HZ, ms: Math.min(BEEP_MS, left) });
    if (left > BEEP_MS) segments.push({ hz: 0, ms: Math.min(GAP_MS, left - BEEP_MS) });
  }
  return segments;
}
