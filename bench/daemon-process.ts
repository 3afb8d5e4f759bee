// callbridge itself, started as `node src/main.ts` in its own process with its configuration in
// the environment, pointed at the fake Asterisk (in the benchmark process) and the fake Realtime
// server (in another process). Its JSON log lines are kept for the report.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeAsterisk } from '../test/support/fake-asterisk/fake-asterisk.ts';
import { ManagedChild, pollFor } from './child-processes.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export const STASIS_APP = 'callbridge';

export type DaemonLogLine = Record<string, unknown> & { level: string; msg: string };

export interface DaemonSettings {
  asterisk: FakeAsterisk;
  realtimeBaseUrl: string;
  realtimeApiKey: string;
  rtpPortMin: number;
  rtpPortMax: number;
  /** Further settings for this run, e.g. ANSWER_MODE. */
  extraEnv?: Record<string, string>;
  /** Node options for this run, before BENCH_DAEMON_NODE_OPTIONS. */
  nodeOptions?: string;
}

export class DaemonProcess {
  readonly child: ManagedChild;
  readonly logs: DaemonLogLine[];
  /** Lines on stdout that were not JSON log lines. */
  readonly strayOutput: string[];

  private constructor(child: ManagedChild, logs: DaemonLogLine[], strayOutput: string[]) {
    this.child = child;
    this.logs = logs;
    this.strayOutput = strayOutput;
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Starts the daemon and resolves once its Stasis app is registered with the fake Asterisk. */
  static async start(settings: DaemonSettings): Promise<DaemonProcess> {
    const { asterisk } = settings;
    const logs: DaemonLogLine[] = [];
    const stray: string[] = [];
    const nodeOptions = [settings.nodeOptions, process.env['BENCH_DAEMON_NODE_OPTIONS']]
      .filter(Boolean)
      .join(' ');
    const child = await ManagedChild.start({
      name: 'callbridge daemon',
      args: [MAIN],
      env: {
        PATH: process.env['PATH'] ?? '',
        // e.g. BENCH_DAEMON_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the daemon alone.
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        ARI_URL: asterisk.url,
        ARI_USERNAME: asterisk.username,
        ARI_PASSWORD: asterisk.password,
        ARI_APP: STASIS_APP,
        OPENAI_API_KEY: settings.realtimeApiKey,
        OPENAI_BASE_URL: settings.realtimeBaseUrl,
        RTP_BIND: '127.0.0.1',
        RTP_ADVERTISE_HOST: '127.0.0.1',
        RTP_PORT_MIN: String(settings.rtpPortMin),
        RTP_PORT_MAX: String(settings.rtpPortMax),
        // info: one summary line per call ('call ended') plus a few per turn; cheap enough.
        LOG_LEVEL: 'info',
        LEFTOVER_SWEEP_CRON: '',
        // Records go to a throw-away store; no admin port to collide with anything.
        STORE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'callbridge-bench-store-')),
        ADMIN_PORT: '0',
        ...settings.extraEnv,
      },
      onLine: (line) => {
        try {
          logs.push(JSON.parse(line) as DaemonLogLine);
        } catch {
          stray.push(line);
        }
      },
    });
    const daemon = new DaemonProcess(child, logs, stray);
    try {
      const what = 'registering its Stasis app';
      await pollFor(
        () => {
          child.assertAlive(what);
          const registered =
            asterisk.registeredApps().includes(STASIS_APP) &&
            logs.some((l) => l.msg === 'registered Stasis app; taking calls');
          return registered ? true : undefined;
        },
        15_000,
        what,
      );
    } catch (error) {
      await child.stop();
      // The daemon reports start-up failures (bad config, ARI unreachable) as a fatal log line.
      const fatal = logs.findLast((l) => l.level === 'fatal');
      const detail = fatal ? `; it logged: ${JSON.stringify(fatal)}` : '';
      throw new Error(`${(error as Error).message}${detail}`, { cause: error });
    }
    return daemon;
  }

  logged(msg: string): DaemonLogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
