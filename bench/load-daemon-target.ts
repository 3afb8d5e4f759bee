// callbridge under load: `node src/main.ts` in its own process, the fake Asterisk (ARI and the
// externalMedia RTP peers) in the benchmark process. Each call is a real inbound call through ARI;
// once its greeting is heard, its caller's frames leave from the externalMedia channel's own
// socket (as Asterisk's would), and what the daemon sends is taken from the fake's records in
// batches, which are then emptied so they do not grow for minutes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeAsterisk, FakeCall, HeardPacket } from '../test/support/fake-asterisk/fake-asterisk.ts';
import { pollFor } from './child-processes.ts';
import { DaemonProcess, STASIS_APP } from './daemon-process.ts';
import { histogramDelta, type LatenessHistogram, parseHistogram } from './lateness-histogram.ts';
import type { LoadCall } from './load-call.ts';
import type { LoadTarget, ProbeMemory, ProbeWindow } from './load-target.ts';

const PROBE = fileURLToPath(new URL('./daemon-probe.ts', import.meta.url));

export interface DaemonTargetSettings {
  asterisk: FakeAsterisk;
  realtimeBaseUrl: string;
  realtimeApiKey: string;
  rtpPortMin: number;
  maxCalls: number;
}

export class DaemonTarget implements LoadTarget {
  readonly name = 'callbridge daemon';
  readonly slug = 'callbridge';
  readonly #daemon: DaemonProcess;
  readonly #asterisk: FakeAsterisk;
  readonly #probeDir: string;
  readonly #metricsUrl: string;
  readonly #calls: { fake: FakeCall; call: LoadCall }[] = [];
  #latenessAtStart: LatenessHistogram | null = null;

  private constructor(daemon: DaemonProcess, asterisk: FakeAsterisk, probeDir: string, adminPort: number) {
    this.#daemon = daemon;
    this.#asterisk = asterisk;
    this.#probeDir = probeDir;
    this.#metricsUrl = `http://127.0.0.1:${adminPort}/metrics`;
  }

  static async start(settings: DaemonTargetSettings): Promise<DaemonTarget> {
    const probeDir = mkdtempSync(path.join(tmpdir(), 'callbridge-load-probe-'));
    const adminPort = await freeTcpPort();
    const daemon = await DaemonProcess.start({
      asterisk: settings.asterisk,
      realtimeBaseUrl: settings.realtimeBaseUrl,
      realtimeApiKey: settings.realtimeApiKey,
      rtpPortMin: settings.rtpPortMin,
      rtpPortMax: settings.rtpPortMin + Math.max(200, settings.maxCalls * 4) - 1,
      nodeOptions: `--expose-gc --import=${PROBE}`,
      extraEnv: {
        BENCH_PROBE_DIR: probeDir,
        // For its own outbound lateness histogram (GET /metrics), read at the window's edges.
        ADMIN_PORT: String(adminPort),
        // The load is the point: no admission limit, and a quick stop once the calls are gone.
        MAX_CONCURRENT_CALLS: '0',
        SHUTDOWN_DRAIN_TIMEOUT_MS: '1000',
      },
    });
    return new DaemonTarget(daemon, settings.asterisk, probeDir, adminPort);
  }

  get pid(): number {
    return this.#daemon.pid;
  }

  async placeCall(call: LoadCall, timeoutMs: number): Promise<void> {
    const fake = await this.#asterisk.placeCall({
      did: '1000',
      callerNumber: `+1555${String(call.index).padStart(7, '0')}`,
      app: STASIS_APP,
    });
    const first = await pollFor(
      () => {
        this.#daemon.child.assertAlive('answering the calls');
        return fake.heard[0] ?? (fake.alive ? undefined : null);
      },
      timeoutMs,
      'the greeting',
    );
    if (first === null) throw new Error('the call ended before its greeting was heard');
    const viaChannelId = first.viaChannelId;
    this.#calls.push({ fake, call });
    call.startTalking((packet) => {
      fake.sendRtpRaw(packet, { viaChannelId }).catch(() => {});
    });
  }

  drain(): void {
    for (const { fake, call } of this.#calls) {
      const heard = fake.heard as HeardPacket[];
      for (const packet of heard) call.hear(packet.at, packet.sequenceNumber, packet.marker);
      heard.length = 0;
    }
  }

  async windowStart(profileFile?: string): Promise<void> {
    this.#latenessAtStart = await this.#lateness();
    await this.#probe(profileFile ? `window-start ${profileFile}` : 'window-start');
  }

  async windowEnd(): Promise<ProbeWindow | null> {
    const window = await this.#probe<ProbeWindow>('window-end');
    const before = this.#latenessAtStart;
    const after = await this.#lateness();
    return window && { ...window, lateness: before && after && histogramDelta(before, after) };
  }

  async #lateness(): Promise<LatenessHistogram | null> {
    try {
      const response = await fetch(this.#metricsUrl, { signal: AbortSignal.timeout(10_000) });
      return parseHistogram(await response.text(), 'callbridge_outbound_frame_lateness_ms');
    } catch {
      return null;
    }
  }

  memory(): Promise<ProbeMemory | null> {
    return this.#probe<ProbeMemory>('memory');
  }

  async finish(): Promise<string[]> {
    this.drain();
    const placed = this.#calls.length;
    for (const { fake, call } of this.#calls) {
      call.stopTalking();
      if (fake.alive) fake.hangup();
    }
    await pollFor(
      () => (this.#daemon.logged('call ended').length >= placed ? true : undefined),
      30_000,
      "every call's 'call ended' line",
    ).catch(() => undefined);
    return [framesLine(this.#daemon, this.#calls), problemsLine(this.#daemon)];
  }

  async stop(): Promise<void> {
    await this.#daemon.stop();
    rmSync(this.#probeDir, { recursive: true, force: true });
  }

  /** Runs a command of the probe preloaded into the daemon (daemon-probe.ts). */
  async #probe<T>(command: string): Promise<T | null> {
    const resultFile = path.join(this.#probeDir, 'result');
    const read = async () => {
      try {
        return JSON.parse(await readFile(resultFile, 'utf8')) as { sequence: number; result: T };
      } catch {
        return null; // not written yet, or being written
      }
    };
    const before = (await read())?.sequence ?? 0;
    if (!this.#daemon.child.alive) return null;
    writeFileSync(path.join(this.#probeDir, 'command'), command);
    process.kill(this.pid, 'SIGUSR2');
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline) {
      const answer = await read();
      if (answer && answer.sequence > before) return answer.result;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return null;
  }
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The whole run, from the daemon's own 'call ended' summaries: frames it sent against frames heard.
function framesLine(daemon: DaemonProcess, calls: readonly { fake: FakeCall; call: LoadCall }[]): string {
  let sent = 0;
  let underruns = 0;
  let resyncs = 0;
  let inboundLost = 0;
  let inboundDropped = 0;
  let summaries = 0;
  const heard = calls.reduce((sum, { call }) => sum + call.heardTotal, 0);
  const gaps = calls.reduce((sum, { call }) => sum + call.gapsTotal, 0);
  const byChannel = new Map(calls.map(({ fake }) => [fake.channelId, true]));
  for (const line of daemon.logged('call ended')) {
    if (!byChannel.has(line['channelId'] as string)) continue;
    summaries++;
    const out = line['rtpOut'] as Record<string, number> | null;
    const rtpIn = line['rtpIn'] as Record<string, number> | null;
    sent += out?.['framesSent'] ?? 0;
    underruns += out?.['underruns'] ?? 0;
    resyncs += out?.['stallResyncs'] ?? 0;
    inboundLost += rtpIn?.['lost'] ?? 0;
    inboundDropped += rtpIn?.['dropped'] ?? 0;
  }
  return (
    `whole run       ${summaries}/${calls.length} 'call ended' lines: daemon sent ${sent} frames, callers heard ` +
    `${heard} with ${gaps} missing in sequence (${sent - heard - gaps} left after the caller hung up); ` +
    `pacer underruns ${underruns}, stall resyncs ${resyncs}; caller RTP lost ${inboundLost}, dropped ${inboundDropped}`
  );
}

function problemsLine(daemon: DaemonProcess): string {
  const counts = new Map<string, number>();
  for (const line of daemon.logs) {
    if (line.level !== 'warn' && line.level !== 'error' && line.level !== 'fatal') continue;
    const key = `${line.level}: ${line.msg}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, count]) => `${count}× ${key}`);
  if (daemon.strayOutput.length > 0) parts.push(`${daemon.strayOutput.length} non-JSON stdout lines`);
  return `daemon log      ${parts.length === 0 ? 'no warn/error lines' : parts.join('; ')}`;
}
