// The fake OpenAI Realtime server in its own process (test/support/fake-realtime/cli.ts), so its
// work does not run on the daemon's or the load generator's event loop. Its replies are the
// CLI's default: a 1.5 s beep pattern streamed as 800-byte deltas every 5 ms (20x real time).
import { fileURLToPath } from 'node:url';
import type { RealtimeStats } from '../test/support/fake-realtime/realtime-stats.ts';
import { ManagedChild, pollFor } from './child-processes.ts';

const CLI = fileURLToPath(new URL('../test/support/fake-realtime/cli.ts', import.meta.url));

export const FAKE_REALTIME_API_KEY = 'sk-bench-fake';

export class FakeRealtimeProcess {
  readonly baseUrl: string;
  readonly child: ManagedChild;
  readonly #statsUrl: string;

  private constructor(child: ManagedChild, baseUrl: string, port: number) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.#statsUrl = `http://127.0.0.1:${port}/_stats`;
  }

  /** `script`: another launcher taking the same --port/--api-key flags and announcing the same line. */
  static async start(extraArgs: readonly string[] = [], script = CLI): Promise<FakeRealtimeProcess> {
    let announced: string | undefined;
    const child = await ManagedChild.start({
      name: 'fake Realtime server',
      args: [script, '--port', '0', '--api-key', FAKE_REALTIME_API_KEY, ...extraArgs],
      env: { PATH: process.env['PATH'] ?? '' },
      onLine: (line) => {
        announced ??= line;
      },
    });
    try {
      const what = 'announcing its port';
      const line = await pollFor(
        () => {
          child.assertAlive(what);
          return announced;
        },
        15_000,
        what,
      );
      const { baseUrl, port } = JSON.parse(line) as { baseUrl: string; port: number };
      return new FakeRealtimeProcess(child, baseUrl, port);
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  async stats(): Promise<RealtimeStats> {
    const response = await fetch(this.#statsUrl, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`GET /_stats answered ${response.status}`);
    return (await response.json()) as RealtimeStats;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
