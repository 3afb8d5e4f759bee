import type { AudioFormatType } from './audio-format.ts';
import type { ResponseSource } from './response-streamer.ts';

export interface ReplyAudioContext {
  sessionIndex: number;
  /** 0 for the first response in the session. */
  responseIndex: number;
  responseId: string;
  source: ResponseSource;
  /** The format the bytes must be in (the session's or the response's output format). */
  format: AudioFormatType;
  voice: string;
  instructions: string | undefined;
}

export interface UpgradeRejection {
  status: number;
  /** JSON-serialised unless a string; defaults to an OpenAI-style error body. */
  body?: unknown;
}

export interface FakeRealtimeOptions {
  /** Host to listen on; only loopback makes sense for tests. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  apiKey: string;
  /** Delay between content_part.added and the first audio delta. */
  firstAudioDelayMs: number;
  /** Bytes of audio per response.output_audio.delta (800 = 100 ms of G.711). */
  deltaBytes: number;
  /** Gap between audio deltas; far below the audio they carry, so replies arrive faster than real time. */
  deltaIntervalMs: number;
  /** Reply audio in `ctx.format`; defaults to a 1.5 s 440 Hz beep pattern. */
  replyAudio: ((ctx: ReplyAudioContext) => Buffer) | undefined;
  replyTranscript: string;
  /** Transcript of each caller turn, sent when input transcription is configured. */
  callerTranscript: string;
  /** Answer every upgrade with this HTTP status instead. */
  rejectUpgrade: UpgradeRejection | undefined;
  /** Accept the TCP connection and the upgrade request, but never answer it. */
  stallHandshake: boolean;
  /** Complete the upgrade but never send session.created. */
  withholdSessionCreated: boolean;
  /** Delay before session.created. */
  sessionCreatedDelayMs: number;
}

export const defaultFakeRealtimeOptions: FakeRealtimeOptions = {
  host: '127.0.0.1',
  port: 0,
  apiKey: 'sk-test-fake',
  firstAudioDelayMs: 0,
  deltaBytes: 800,
  deltaIntervalMs: 5,
  replyAudio: undefined,
  replyTranscript: 'Hello, this is the fake assistant answering your call.',
  callerTranscript: 'Hello, I would like to check my appointment.',
  rejectUpgrade: undefined,
  stallHandshake: false,
  withholdSessionCreated: false,
  sessionCreatedDelayMs: 0,
};
