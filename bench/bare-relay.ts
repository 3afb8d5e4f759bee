// The baseline of `npm run bench:load`: the least a gateway must do, in its own process. Per
// call, a UDP socket takes the caller's RTP and sends each payload to the fake Realtime server as
// input_audio_buffer.append over the call's WebSocket; audio deltas coming back are sent to the
// caller as 20 ms RTP frames, paced by a plain setTimeout chain on absolute deadlines. No ARI, no
// reordering, no records, no logs: whatever callbridge costs beyond this is its overhead.
//
//   node --expose-gc bench/bare-relay.ts --realtime-url ws://…/v1/realtime?model=M --api-key K --port-min P
// Prints {"port"} (its control port) once listening. POST /calls opens one call and answers
// {"port"} (where to send its RTP; the caller's address is learnt from the first packet);
// POST /window-start, POST /window-end and GET /memory run the instruments of process-probe.ts;
// the window also reports how late the frames left against their deadlines.
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { histogramDelta, LatenessCounter } from './lateness-histogram.ts';
import { ProcessProbe } from './process-probe.ts';

const { values } = parseArgs({
  options: {
    'realtime-url': { type: 'string' },
    'api-key': { type: 'string' },
    'port-min': { type: 'string', default: '48000' },
  },
});
const realtimeUrl = values['realtime-url'];
if (!realtimeUrl) throw new Error('--realtime-url is required');
const apiKey = values['api-key'] ?? '';
let nextPort = Number(values['port-min']);

const FRAME_BYTES = 160;
const HEADER_BYTES = 12;
const ULAW = { type: 'audio/pcmu' } as const;
const SESSION_UPDATE = JSON.stringify({
  type: 'session.update',
  session: {
    type: 'realtime',
    output_modalities: ['audio'],
    audio: { input: { format: ULAW }, output: { format: ULAW } },
  },
});
const GREETING = JSON.stringify({ type: 'response.create' });

class RelayCall {
  readonly #socket: dgram.Socket;
  readonly #ws: WebSocket;
  #caller: { address: string; port: number } | null = null;
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #offset = 0;
  #timer: NodeJS.Timeout | null = null;
  #deadline = 0;
  #marker = false;
  #greeted = false;
  #sequence = Math.floor(Math.random() * 0x10000);
  #timestamp = Math.floor(Math.random() * 2 ** 32);
  readonly #ssrc = Math.floor(Math.random() * 2 ** 32);

  constructor(socket: dgram.Socket) {
    this.#socket = socket;
    this.#ws = new WebSocket(realtimeUrl!, { headers: { Authorization: `Bearer ${apiKey}` } });
    this.#ws.on('open', () => this.#ws.send(SESSION_UPDATE));
    this.#ws.on('message', (data) => this.#onEvent(String(data)));
    this.#ws.on('error', () => {});
    socket.on('message', (packet, from) => {
      this.#caller ??= { address: from.address, port: from.port };
      if (this.#ws.readyState !== WebSocket.OPEN) return;
      this.#ws.send(
        `{"type":"input_audio_buffer.append","audio":"${packet.toString('base64', HEADER_BYTES)}"}`,
      );
    });
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws.terminate();
    this.#socket.close();
  }

  #onEvent(text: string): void {
    const event = JSON.parse(text) as { type: string; delta?: string };
    if (event.type === 'session.updated') {
      // Like callbridge, the agent speaks first; the fake server keeps it talking from then on.
      if (!this.#greeted) this.#ws.send(GREETING);
      this.#greeted = true;
    } else if (event.type === 'response.output_audio.delta' && event.delta) {
      const audio = Buffer.from(event.delta, 'base64');
      this.#queue.push(audio);
      this.#queued += audio.length;
      if (this.#timer === null) {
        this.#marker = true;
        this.#deadline = performance.now();
        this.#tick();
      }
    }
  }

  readonly #tick = (): void => {
    this.#timer = null;
    if (this.#queued === 0) return;
    lateness.observe(Math.max(0, performance.now() - this.#deadline));
    const packet = Buffer.alloc(HEADER_BYTES + FRAME_BYTES, 0xff);
    packet[0] = 0x80;
    packet[1] = this.#marker ? 0x80 : 0;
    packet.writeUInt16BE(this.#sequence, 2);
    packet.writeUInt32BE(this.#timestamp, 4);
    packet.writeUInt32BE(this.#ssrc, 8);
    let filled = 0;
    while (filled < FRAME_BYTES && this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      const take = Math.min(FRAME_BYTES - filled, chunk.length - this.#offset);
      chunk.copy(packet, HEADER_BYTES + filled, this.#offset, this.#offset + take);
      filled += take;
      this.#offset += take;
      if (this.#offset === chunk.length) {
        this.#queue.shift();
        this.#offset = 0;
      }
    }
    this.#queued -= filled;
    this.#marker = false;
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + FRAME_BYTES) >>> 0;
    if (this.#caller) this.#socket.send(packet, this.#caller.port, this.#caller.address);
    this.#deadline += 20;
    this.#timer = setTimeout(this.#tick, this.#deadline - performance.now());
  };
}

const calls: RelayCall[] = [];
const probe = new ProcessProbe();
const lateness = new LatenessCounter();
let latenessAtStart = lateness.snapshot();

/** A UDP socket on the next free port from --port-min. */
async function bindNextPort(): Promise<{ socket: dgram.Socket; port: number }> {
  for (;;) {
    const port = nextPort++;
    const socket = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, '127.0.0.1', () => {
          socket.off('error', reject);
          resolve();
        });
      });
      socket.on('error', () => {});
      return { socket, port };
    } catch {
      socket.close();
      if (nextPort > 65_000) throw new Error('no free UDP port left');
    }
  }
}

const control = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/calls') {
    bindNextPort().then(
      ({ socket, port }) => {
        calls.push(new RelayCall(socket));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ port }));
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
    return;
  }
  const answer = (body: unknown) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const url = new URL(req.url ?? '/', 'http://relay.invalid');
  if (req.method === 'POST' && url.pathname === '/window-start') {
    latenessAtStart = lateness.snapshot();
    void probe.windowStart(url.searchParams.get('profile') ?? undefined).then(() => answer({}));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/window-end') {
    const counted = histogramDelta(latenessAtStart, lateness.snapshot());
    void probe.windowEnd().then((window) => answer({ ...window, lateness: counted }));
    return;
  }
  if (req.method === 'GET' && req.url === '/memory') return answer(probe.memory());
  res.writeHead(404).end();
});
control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (control.address() as AddressInfo).port })}\n`);
});

const shutdown = (): void => {
  for (const call of calls) call.close();
  control.close();
  control.closeAllConnections();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
