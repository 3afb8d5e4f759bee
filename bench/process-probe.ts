// Passive instruments inside a measured process (callbridge via daemon-probe.ts, the bare relay
// directly): how busy its event loop was and how long the garbage collector paused it during a
// window, optionally a CPU profile of just that window, and its memory after a full GC. Nothing
// here runs per frame.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { LatenessHistogram } from './lateness-histogram.ts';

export interface ProbeWindow {
  /** Share of the window the event loop spent running code (event loop utilisation, 0–1). */
  loopBusy: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** How late its outbound frames left against their own deadlines, when the target counts it. */
  lateness?: LatenessHistogram | null;
}

export interface ProbeMemory {
  rss: number;
  heapUsed: number;
}

function post(session: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

export class ProcessProbe {
  #elu = performance.eventLoopUtilization();
  #gcs: number[] = [];
  #profile: { session: Session; file: string } | null = null;
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.#gcs.push(entry.duration);
  });

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  /** A window starts; with `profileFile`, the CPU profiler runs until windowEnd and saves there. */
  async windowStart(profileFile?: string): Promise<void> {
    if (profileFile && !this.#profile) {
      const session = new Session();
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.start');
      this.#profile = { session, file: profileFile };
    }
    this.#elu = performance.eventLoopUtilization();
    this.#gcs = [];
  }

  async windowEnd(): Promise<ProbeWindow> {
    const gcs = this.#gcs;
    const window: ProbeWindow = {
      loopBusy: performance.eventLoopUtilization(this.#elu).utilization,
      gcCount: gcs.length,
      gcTotalMs: gcs.reduce((sum, ms) => sum + ms, 0),
      gcMaxMs: gcs.reduce((max, ms) => Math.max(max, ms), 0),
    };
    const profile = this.#profile;
    this.#profile = null;
    if (profile) {
      const { profile: data } = (await post(profile.session, 'Profiler.stop')) as { profile: unknown };
      profile.session.disconnect();
      writeFileSync(profile.file, JSON.stringify(data));
    }
    return window;
  }

  /** After a full GC when the process runs with --expose-gc. */
  memory(): ProbeMemory {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  }
}
