// One benchmark run at a given number of concurrent calls: fresh fakes and a fresh daemon
// process, the callers placed on a ramp, then everything each side recorded, and CPU used.
import { FakeAsterisk, type RequestRecord } from '../test/support/fake-asterisk/fake-asterisk.ts';
import type { RealtimeStats } from '../test/support/fake-realtime/realtime-stats.ts';
import { type CallerResult, type CallerScript, runCaller } from './bench-caller.ts';
import { pollFor } from './child-processes.ts';
import { type DaemonLogLine, DaemonProcess } from './daemon-process.ts';
import { FAKE_REALTIME_API_KEY, FakeRealtimeProcess } from './fake-realtime-process.ts';
import { ListenerStalls, type Stall } from './listener-stalls.ts';
import { allProcessesCpuMs, otherProcessesCpuMs, processCpuMs } from './process-cpu.ts';
import { TagCounter, TaggedFrameSource } from './tagged-frames.ts';

export interface RunSettings {
  calls: number;
  /** Calls made one at a time before measuring, so the daemon's code is warm (JIT). */
  warmupCalls: number;
  /** Delay between successive call arrivals. */
  rampMs: number;
  script: CallerScript;
  rtpPortMin: number;
  daemonEnv?: Record<string, string>;
  realtimeArgs?: readonly string[];
}

export interface CpuUsage {
  /** Wall time from before the first call to after the last call ended. */
  windowMs: number;
  daemonMs: number;
  fakeRealtimeMs: number;
  /** The benchmark process: fake Asterisk and the callers. */
  benchMs: number;
  /** Other processes on the machine, competing for the same CPUs. */
  otherProcessesMs: number;
}

/** The benchmark process's event loop is late by this much or more: a listener stall. */
export const LISTENER_STALL_MS = 4;

export interface RunData {
  settings: RunSettings;
  callers: CallerResult[];
  warmupCallers: CallerResult[];
  requests: readonly RequestRecord[];
  realtime: RealtimeStats;
  daemonLogs: readonly DaemonLogLine[];
  daemonStrayOutput: readonly string[];
  cpu: CpuUsage;
  /** How late the benchmark process's 1 ms timer ran, each time (ms). */
  listenerLateness: readonly number[];
  listenerStalls: readonly Stall[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runBench(settings: RunSettings): Promise<RunData> {
  const asterisk = await FakeAsterisk.start({ password: 'bench-ari-secret' });
  let realtime: FakeRealtimeProcess | undefined;
  let daemon: DaemonProcess | undefined;
  try {
    realtime = await FakeRealtimeProcess.start(settings.realtimeArgs);
    daemon = await DaemonProcess.start({
      asterisk,
      realtimeBaseUrl: realtime.baseUrl,
      realtimeApiKey: FAKE_REALTIME_API_KEY,
      rtpPortMin: settings.rtpPortMin,
      // Wide enough that ports held by anything else on the machine are simply skipped.
      rtpPortMax: settings.rtpPortMin + Math.max(200, settings.calls * 4) - 1,
      ...(settings.daemonEnv ? { extraEnv: settings.daemonEnv } : {}),
    });
    const running = daemon;
    // A call the daemon never ends shows in the report as missing figures, not as a crash.
    const callsEnded = (count: number) =>
      pollFor(
        () => {
          running.child.assertAlive('ending the calls');
          return running.logged('call ended').length >= count ? true : undefined;
        },
        10_000,
        'the calls to end in the daemon',
      ).catch(() => undefined);
    const ctx = {
      asterisk,
      tags: new TagCounter(),
      frames: new TaggedFrameSource(),
      script: settings.script,
    };
    const warmupCallers: CallerResult[] = [];
    for (let i = 0; i < settings.warmupCalls; i++) {
      warmupCallers.push(await runCaller(ctx, settings.calls + i));
      await callsEnded(warmupCallers.length);
    }
    // Let the start-up leftover sweep and the warm-up's teardown finish before measuring.
    await sleep(300);

    const started = performance.now();
    const daemonBefore = processCpuMs(daemon.pid);
    const realtimeBefore = processCpuMs(realtime.child.pid);
    const benchBefore = process.cpuUsage();
    const everyoneBefore = allProcessesCpuMs();
    const listener = new ListenerStalls(LISTENER_STALL_MS);
    listener.start();

    const callers = await Promise.all(
      Array.from({ length: settings.calls }, (_, index) =>
        sleep(index * settings.rampMs).then(() => runCaller(ctx, index)),
      ),
    );
    await callsEnded([...warmupCallers, ...callers].filter((c) => c.channelId !== null).length);

    listener.stop();
    const benchCpu = process.cpuUsage(benchBefore);
    const ours = [process.pid, daemon.pid, realtime.child.pid];
    const otherProcessesMs = otherProcessesCpuMs(everyoneBefore, allProcessesCpuMs(), ours);
    const daemonMs = processCpuMs(daemon.pid) - daemonBefore;
    const fakeRealtimeMs = processCpuMs(realtime.child.pid) - realtimeBefore;
    const benchMs = (benchCpu.user + benchCpu.system) / 1000;
    const cpu: CpuUsage = {
      windowMs: performance.now() - started,
      daemonMs,
      fakeRealtimeMs,
      benchMs,
      otherProcessesMs,
    };
    return {
      settings,
      callers,
      warmupCallers,
      requests: [...asterisk.requests],
      realtime: await realtime.stats(),
      daemonLogs: daemon.logs,
      daemonStrayOutput: daemon.strayOutput,
      cpu,
      listenerLateness: listener.lateness,
      listenerStalls: listener.stalls,
    };
  } finally {
    // Each stop is attempted whatever the others do; no process outlives the run.
    await Promise.allSettled([daemon?.stop(), realtime?.stop()]);
    await asterisk.stop();
  }
}
