// The soak driver's handle on the daemon child: starts it against the fakes, collects the lines
// it forwards, asks for stats (after a forced GC when measuring memory) and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import type { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';
import type { ChildMessage, ChildRequest, ChildStats, ForwardedLine } from './soak-protocol.ts';

const CHILD = fileURLToPath(new URL('./soak-daemon-child.ts', import.meta.url));
export const SOAK_APP = 'callbridge';

export interface SoakDaemonSettings {
  asterisk: FakeAsterisk;
  realtime: FakeRealtimeServer;
  realtimeApiKey: string;
  rtpPortMin: number;
  rtpPortMax: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class SoakDaemonProcess {
  readonly pid: number;
  /** `call ended` lines by caller channel id, until taken. */
  readonly #ended = new Map<string, ForwardedLine>();
  /** warn/error/fatal lines, newest last, capped. */
  readonly problemLines: ForwardedLine[] = [];
  /** warn/error/fatal lines by message, step and cause, with ids and numbers blanked. */
  readonly problemCounts: Record<string, number> = {};
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  #stderr = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #crash: string | null = null;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.pid = child.pid ?? -1;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-8000);
    });
    child.stdout?.resume();
    child.on('message', (raw) => this.#onMessage(raw as ChildMessage));
    child.on('exit', (code, signal) => {
      this.#exit = { code, signal };
      const error = new Error(this.describeExit());
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      this.#notify();
    });
  }

  static async start(settings: SoakDaemonSettings): Promise<SoakDaemonProcess> {
    const { asterisk, realtime } = settings;
    const child = spawn(process.execPath, ['--expose-gc', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env['PATH'] ?? '',
        ARI_URL: asterisk.url,
        ARI_USERNAME: asterisk.username,
        ARI_PASSWORD: asterisk.password,
        ARI_APP: SOAK_APP,
        OPENAI_API_KEY: settings.realtimeApiKey,
        OPENAI_BASE_URL: realtime.baseUrl,
        RTP_BIND: '127.0.0.1',
        RTP_ADVERTISE_HOST: '127.0.0.1',
        RTP_PORT_MIN: String(settings.rtpPortMin),
        RTP_PORT_MAX: String(settings.rtpPortMax),
        LOG_LEVEL: 'info',
        STORE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'callbridge-soak-store-')),
        ADMIN_PORT: '0',
        ...settings.env,
      },
    });
    const daemon = new SoakDaemonProcess(child);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the daemon child did not start: ${daemon.describeExit()}`)),
        settings.startTimeoutMs ?? 20_000,
      );
      child.on('message', (raw) => {
        if ((raw as ChildMessage).type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`the daemon child exited while starting: ${daemon.describeExit()}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      daemon.kill();
      throw error;
    }
    return daemon;
  }

  get exited(): boolean {
    return this.#exit !== null;
  }

  /** Why the child is gone (or that it is still running), with the end of its stderr. */
  describeExit(): string {
    const exit = this.#exit;
    const state = exit ? `exited (code ${exit.code}, signal ${exit.signal})` : 'running';
    const crash = this.#crash ? `; crash: ${this.#crash}` : '';
    const stderr = this.#stderr.trim() ? `; stderr: ${this.#stderr.trim()}` : '';
    return `daemon child ${this.pid} ${state}${crash}${stderr}`;
  }

  stats(options: { gc?: boolean } = {}): Promise<ChildStats> {
    return this.#request({
      id: this.#nextId++,
      cmd: 'stats',
      gc: options.gc === true,
    }) as Promise<ChildStats>;
  }

  /** Takes the `call ended` line of this caller channel, waiting for it if needed. */
  async takeCallEnded(channelId: string, timeoutMs = 10_000): Promise<ForwardedLine> {
    await this.#waitUntil(() => this.#ended.has(channelId), timeoutMs, `call ended for ${channelId}`);
    const line = this.#ended.get(channelId)!;
    this.#ended.delete(channelId);
    return line;
  }

  /** Daemon.stop() in the child, then its handles and memory, then the child exits. */
  async stop(timeoutMs = 15_000): Promise<ChildStats | null> {
    if (this.exited) return null;
    let timer: NodeJS.Timeout | undefined;
    const final = await Promise.race([
      this.#request({ id: this.#nextId++, cmd: 'stop' }) as Promise<ChildStats>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Daemon.stop() did not finish within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (this.#child.connected) this.#child.disconnect();
    // Nothing should keep the child alive once the daemon stopped; a leak would show as a hang.
    const exited = await this.#waitUntil(() => this.exited, 5000, 'the child to exit').then(
      () => true,
      () => false,
    );
    if (!exited) {
      this.kill();
      throw new Error('the daemon child did not exit within 5 s after Daemon.stop()');
    }
    return final;
  }

  kill(): void {
    if (!this.exited) this.#child.kill('SIGKILL');
  }

  #request(request: ChildRequest): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error(this.describeExit()));
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      this.#child.send(request);
    });
  }

  #onMessage(message: ChildMessage): void {
    switch (message.type) {
      case 'reply': {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.resolve(message.value);
        return;
      }
      case 'line': {
        const { line } = message;
        if (line.msg === 'call ended' && typeof line['channelId'] === 'string') {
          this.#ended.set(line['channelId'], line);
        } else {
          this.problemLines.push(line);
          if (this.problemLines.length > 2000) this.problemLines.splice(0, 1000);
          const key = problemKey(line);
          this.problemCounts[key] = (this.problemCounts[key] ?? 0) + 1;
        }
        this.#notify();
        return;
      }
      case 'crash':
        this.#crash = message.error;
        return;
      case 'ready':
        return;
    }
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (condition()) done();
        else if (this.exited) done(new Error(`waiting for ${what}: ${this.describeExit()}`));
      };
      const timer = setTimeout(
        () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      this.#waiters.add(check);
    });
  }
}

/** `<level> <msg> [step] [cause]`, with numbers and ids blanked so alike lines group together. */
export function problemKey(line: ForwardedLine): string {
  const detail = [line['step'], line['reason'], line['cause'], line['failure']]
    .filter((value) => typeof value === 'string')
    .join(' | ');
  const key = `${line.level} ${line.msg}${detail ? `: ${detail}` : ''}`;
  return key.replace(/[A-Za-z0-9_-]*\d[A-Za-z0-9_.:-]*/g, '#').slice(0, 200);
}
