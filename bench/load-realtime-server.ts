// The fake Realtime server of `npm run bench:load`, in its own process: test/support's
// FakeRealtimeServer, with the agent talking on and on. Every response (the client's greeting
// included) is a long reply; once one has played out (its first delta + its audio length) and a
// short breath has passed, the server starts the next one by itself. Each reply therefore opens a
// talk spurt, whose first frame measures the outbound delay under full load.
//
// Kept cheap because it shares the machine with the process measured: each append is reduced to
// (tag, arrival) instead of being stored and run through the energy VAD (the load callers only
// send quiet frames, so the VAD would never fire), and the session's message logs are emptied
// every second. Both are runtime overrides in this process; test/support is not changed.
//
//   node bench/load-realtime-server.ts --port 0 --api-key K [--reply-ms 4000] [--reply-gap-ms 300]
//     [--delta-bytes 800] [--delta-interval-ms 50]
// Prints {"baseUrl","port"} once listening. POST /_load/window starts recording a measurement
// window; GET /_load/window ends it and returns what arrived (see LoadWindowData).
import { parseArgs } from 'node:util';
import { FakeRealtimeServer } from '../test/support/fake-realtime/fake-realtime-server.ts';
import { InputAudioTurns } from '../test/support/fake-realtime/input-audio-turns.ts';
import { toneAudio } from '../test/support/fake-realtime/tone-audio.ts';
import { wallClockMs } from '../test/support/fake-realtime/wall-clock.ts';
import { readTag } from './tagged-frames.ts';

export interface LoadWindowData {
  /** Epoch ms the window started (POST) and ended (GET). */
  from: number;
  to: number;
  /** Every tagged append that arrived in the window: its tag and arrival (epoch ms). */
  appendTags: number[];
  appendAts: number[];
  /** Open sessions: the last tag appended (identifies the caller) and replies started in the window. */
  sessions: { lastTag: number; firstDeltaAts: number[] }[];
  /** Replies the server started by itself since it started. */
  serverReplies: number;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string' },
    'reply-ms': { type: 'string', default: '4000' },
    'reply-gap-ms': { type: 'string', default: '300' },
    'delta-bytes': { type: 'string', default: '800' },
    'delta-interval-ms': { type: 'string', default: '50' },
  },
});

function numberArg(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a non-negative number`);
  return value;
}

const replyMs = numberArg('reply-ms');
const gapMs = numberArg('reply-gap-ms');
// A speech-like on/off tone in μ-law (what callbridge and the bare relay ask for), built once.
const segments = Array.from({ length: Math.max(1, Math.round(replyMs / 500)) }, () => [
  { hz: 440, ms: 440 },
  { hz: 0, ms: 60 },
]).flat();
const replyPcmu = toneAudio('audio/pcmu', segments);

// Per-append bookkeeping replaced by a tag recorder. `appends` is the array the session exposes,
// so the session a caller's last tag belongs to can be found from the session.
let recording = false;
let windowFrom = 0;
let appendTags: number[] = [];
let appendAts: number[] = [];
const lastTagOf = new WeakMap<object, { tag: number }>();
InputAudioTurns.prototype.append = function cheapAppend(this: InputAudioTurns, at: number, bytes: Buffer) {
  const tag = readTag(bytes);
  if (tag < 0) return [];
  let last = lastTagOf.get(this.appends);
  if (!last) {
    last = { tag };
    lastTagOf.set(this.appends, last);
  }
  last.tag = tag;
  if (recording) {
    appendTags.push(tag);
    appendAts.push(at);
  }
  return [];
};

const server = await FakeRealtimeServer.start({
  port: numberArg('port'),
  apiKey: values['api-key'] ?? 'sk-bench-fake',
  deltaBytes: numberArg('delta-bytes'),
  deltaIntervalMs: numberArg('delta-interval-ms'),
  replyAudio: (ctx) => (ctx.format === 'audio/pcmu' ? replyPcmu : toneAudio(ctx.format, segments)),
});

let serverReplies = 0;
// The agent keeps talking: the next reply once the last one has played out, plus a breath.
const talker = setInterval(() => {
  const now = wallClockMs();
  for (const session of server.sessions) {
    if (session.closed || session.activeResponseId !== undefined) continue;
    const last = session.responses.at(-1);
    // The first reply is the client's own (the greeting); until it exists the session is not set up.
    if (!last || last.status === 'in_progress') continue;
    const startedAt = last.firstDeltaAt ?? last.doneAt ?? now;
    if (now < startedAt + last.bytesSent / 8 + gapMs) continue;
    session.startResponse({ audio: replyPcmu });
    serverReplies++;
  }
}, 10);

// What the sessions keep of every message would grow by ~100 kB per call per second.
const trimmer = setInterval(() => {
  for (const session of server.sessions) {
    session.received.length = 0;
    session.sent.length = 0;
    session.sentRaw.length = 0;
  }
}, 1000);

function windowData(): LoadWindowData {
  const to = wallClockMs();
  const sessions: LoadWindowData['sessions'] = [];
  for (const session of server.sessions) {
    if (session.closed) continue;
    const firstDeltaAts: number[] = [];
    for (const response of session.responses) {
      const at = response.firstDeltaAt;
      if (at !== undefined && at >= windowFrom && at <= to) firstDeltaAts.push(at);
    }
    sessions.push({ lastTag: lastTagOf.get(session.appends)?.tag ?? -1, firstDeltaAts });
  }
  return { from: windowFrom, to, appendTags, appendAts, sessions, serverReplies };
}

server.onHttpRequest((req, res) => {
  const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
  if (path !== '/_load/window') return false;
  if (req.method === 'POST') {
    appendTags = [];
    appendAts = [];
    windowFrom = wallClockMs();
    recording = true;
    res.writeHead(204).end();
    return true;
  }
  recording = false;
  const body = JSON.stringify(windowData());
  appendTags = [];
  appendAts = [];
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  return true;
});
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl, port: server.port })}\n`);

const shutdown = (): void => {
  clearInterval(talker);
  clearInterval(trimmer);
  void server.stop().then(() => {
    process.exitCode = 0;
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
