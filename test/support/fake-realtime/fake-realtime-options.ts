import type { ConversationItem } from 'openai/resources/realtime/realtime';
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
  /** The call_id of the function_call_output this response follows, if it follows one. */
  afterToolOutput: string | undefined;
}

export interface TextReplyContext {
  sessionIndex: number;
  /** 0 for the first text response in the session. */
  responseIndex: number;
  responseId: string;
  /** conversation: 'none' */
  outOfBand: boolean;
  /** The response's instructions, else the session's. */
  instructions: string | undefined;
  metadata: Record<string, string> | null;
  /** response.create's `input`, when the client gave the response its own context. */
  input: ConversationItem[] | undefined;
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
  /** Transcript of a response that follows a function_call_output (the model using the result). */
  toolReplyTranscript: string;
  /**
   * Start a response by itself after each function_call_output. The real server never does (the
   * client sends response.create), hence false by default.
   */
  autoReplyToToolOutput: boolean;
  /** Text of text-only and out-of-band responses. */
  textReply: (ctx: TextReplyContext) => string;
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
  toolReplyTranscript: 'I have looked that up for you.',
  autoReplyToToolOutput: false,
  textReply: () => 'Summary: the caller asked about their appointment.',
  callerTranscript: 'Hello, I would like to check my appointment.',
  rejectUpgrade: undefined,
  stallHandshake: false,
  withholdSessionCreated: false,
  sessionCreatedDelayMs: 0,
};
