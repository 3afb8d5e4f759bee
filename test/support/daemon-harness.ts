// Runs the real daemon (the same Daemon class main.ts starts) in this process against a fake
// Asterisk and a fake Realtime server, capturing every log line it writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import { Daemon } from '../../src/daemon.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { nowMs } from './fake-asterisk/asterisk-time.ts';
import {
  FakeAsterisk,
  type FakeAsteriskOptions,
  type PlaceCallOptions,
} from './fake-asterisk/fake-asterisk.ts';
import type { FakeCall } from './fake-asterisk/fake-call.ts';
import { FakeRealtimeServer, type FakeRealtimeStartOptions } from './fake-realtime/fake-realtime-server.ts';

export interface HarnessOptions {
  /** Config overrides, by environment variable name. */
  env?: Record<string, string>;
  asterisk?: FakeAsteriskOptions;
  realtime?: FakeRealtimeStartOptions;
}

export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** When each captured log line was written, on the fakes' clock (epoch ms, sub-millisecond). */
const writtenAt = new WeakMap<LogLine, number>();

export const TEST_SECRETS = { ariPassword: 'ari-secret-7f3a9c', apiKey: 'sk-test-fake' } as const;

/** Each vitest worker gets its own RTP port range so parallel files never collide. */
function rtpPortRange(): { min: number; max: number } {
  const worker = Number(process.env['VITEST_POOL_ID'] ?? process.env['VITEST_WORKER_ID'] ?? 1);
  const min = 30000 + (worker % 50) * 200;
  return { min, max: min + 199 };
}

export class DaemonHarness {
  readonly asterisk: FakeAsterisk;
  readonly realtime: FakeRealtimeServer;
  readonly config: Config;
  readonly logs: LogLine[];
  #daemon: Daemon | null;

  private constructor(
    asterisk: FakeAsterisk,
    realtime: FakeRealtimeServer,
    config: Config,
    logs: LogLine[],
    daemon: Daemon,
  ) {
    this.asterisk = asterisk;
    this.realtime = realtime;
    this.config = config;
    this.logs = logs;
    this.#daemon = daemon;
  }

  static async start(options: HarnessOptions = {}): Promise<DaemonHarness> {
    const asterisk = await FakeAsterisk.start({ password: TEST_SECRETS.ariPassword, ...options.asterisk });
    const realtime = await FakeRealtimeServer.start({ apiKey: TEST_SECRETS.apiKey, ...options.realtime });
    const { config, logs, daemon } = await DaemonHarness.startDaemon(asterisk, realtime, options.env ?? {});
    return new DaemonHarness(asterisk, realtime, config, logs, daemon);
  }

  static async startDaemon(
    asterisk: FakeAsterisk,
    realtime: FakeRealtimeServer,
    env: Record<string, string>,
  ): Promise<{ config: Config; logs: LogLine[]; daemon: Daemon }> {
    const ports = rtpPortRange();
    const config = loadConfig({
      argv: [],
      env: {
        ARI_URL: asterisk.url,
        ARI_USERNAME: asterisk.username,
        ARI_PASSWORD: asterisk.password,
        OPENAI_API_KEY: TEST_SECRETS.apiKey,
        OPENAI_BASE_URL: realtime.baseUrl,
        RTP_BIND: '127.0.0.1',
        RTP_ADVERTISE_HOST: '127.0.0.1',
        RTP_PORT_MIN: String(ports.min),
        RTP_PORT_MAX: String(ports.max),
        LOG_LEVEL: 'debug',
        STORE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'callbridge-store-')),
        ADMIN_PORT: '0',
        // Tests stop the daemon with calls up: no draining, no goodbyes unless a test asks.
        SHUTDOWN_DRAIN_TIMEOUT_MS: '0',
        SHUTDOWN_GOODBYE_TIMEOUT_MS: '0',
        ...env,
      },
    });
    const logs: LogLine[] = [];
    const logger = createLogger(config.log, {
      write: (line: string) => {
        const parsed = JSON.parse(line) as LogLine;
        writtenAt.set(parsed, nowMs());
        logs.push(parsed);
      },
    });
    const daemon = await Daemon.start(config, logger);
    return { config, logs, daemon };
  }

  get daemon(): Daemon {
    if (this.#daemon === null) throw new Error('the daemon was stopped');
    return this.#daemon;
  }

  placeCall(options: Partial<PlaceCallOptions> = {}): Promise<FakeCall> {
    return this.asterisk.placeCall({
      did: '1000',
      callerNumber: '+15551234567',
      callerName: 'Test Caller',
      app: this.config.ari.app,
      ...options,
    });
  }

  /** Log lines with this message, optionally of one call. */
  logged(msg: string, callId?: string): LogLine[] {
    return this.logs.filter(
      (line) => line.msg === msg && (callId === undefined || line['callId'] === callId),
    );
  }

  async waitForLog(
    msg: string,
    predicate: (line: LogLine) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<LogLine> {
    let found: LogLine | undefined;
    await this.asterisk.waitFor(() => {
      found = this.logs.find((line) => line.msg === msg && predicate(line));
      return found !== undefined;
    }, timeoutMs);
    return found!;
  }

  /** The summary line of the call whose caller channel is `channelId`. */
  waitForCallEnded(channelId: string, timeoutMs = 5000): Promise<LogLine> {
    return this.waitForLog('call ended', (line) => line['channelId'] === channelId, timeoutMs);
  }

  /** Channels still in Asterisk other than callers handed back to the dialplan. */
  channelsLeft(): string[] {
    const handedBack = new Set(
      this.asterisk
        .calls()
        .filter((call) => call.continuedTo !== undefined)
        .map((call) => call.channelId),
    );
    return this.asterisk
      .channels()
      .filter((channel) => !handedBack.has(channel.id))
      .map((channel) => channel.name);
  }

  /** When the daemon wrote `line`, comparable with the fakes' `at` times (pino's `time` is whole ms). */
  loggedAt(line: LogLine): number {
    const at = writtenAt.get(line);
    if (at === undefined) throw new Error(`'${line.msg}' is not a line this harness captured`);
    return at;
  }

  /** What the daemon still holds or left in Asterisk, in words; empty once everything is released. */
  leftovers(): string[] {
    const daemon = this.daemon;
    const { activeCalls } = daemon.orchestrator;
    return [
      ...this.asterisk.bridges().map((bridge) => `bridge ${bridge.id}`),
      ...this.channelsLeft().map((name) => `channel ${name}`),
      ...(activeCalls > 0 ? [`${activeCalls} active call(s) in the daemon`] : []),
      ...(daemon.ports.leased > 0 ? [`${daemon.ports.leased} leased RTP port(s)`] : []),
      ...this.realtime.sessions
        .filter((session) => !session.closed)
        .map((s) => `Realtime session ${s.index}`),
    ];
  }

  /** Nothing the daemon created is left: no bridge or channel in Asterisk, no port, no open session. */
  async expectNothingLeft(): Promise<void> {
    const daemon = this.daemon;
    await this.asterisk
      .waitFor(
        () =>
          this.asterisk.bridges().length === 0 &&
          this.channelsLeft().length === 0 &&
          daemon.orchestrator.activeCalls === 0 &&
          daemon.ports.leased === 0 &&
          this.realtime.sessions.every((session) => session.closed),
        5000,
      )
      .catch(() => undefined);
    expect(this.asterisk.bridges()).toEqual([]);
    expect(this.channelsLeft()).toEqual([]);
    expect(daemon.orchestrator.activeCalls).toBe(0);
    expect(daemon.ports.leased).toBe(0);
    expect(this.realtime.sessions.map((session) => session.closed)).not.toContain(false);
  }

  async stop(): Promise<void> {
    await this.#daemon?.stop();
    this.#daemon = null;
    await this.asterisk.stop();
    await this.realtime.stop();
  }
}

/** Writes an agents file (YAML) to a temporary directory and returns its path. */
export function writeAgentsFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'callbridge-agents-')), 'agents.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A TCP port that was free a moment ago, for servers that cannot take port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
