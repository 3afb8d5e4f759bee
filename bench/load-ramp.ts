// One target under a ramp of call counts: calls are added up to each size (arrivals `rampMs`
// apart) and kept up; once all are talking and settled, a window of `windowMs` is measured with
// every call up; then the target's memory is read after a full GC and the next calls are added.
import path from 'node:path';
import type { FakeRealtimeProcess } from './fake-realtime-process.ts';
import { ListenerStalls, type Stall } from './listener-stalls.ts';
import { FrameLog, LoadCall } from './load-call.ts';
import { type WindowFigures, windowFigures } from './load-figures.ts';
import type { LoadWindowData } from './load-realtime-server.ts';
import type { LoadTarget, ProbeMemory, ProbeWindow } from './load-target.ts';
import {
  allProcessesCpuMs,
  type MachineCpu,
  machineCpuTicks,
  otherProcessesCpuMs,
  processCpuMs,
} from './process-cpu.ts';
import { ProcessProbe } from './process-probe.ts';

export interface RampSettings {
  steps: readonly number[];
  windowMs: number;
  rampMs: number;
  /** Quiet time between the last call of a size talking and its window. */
  settleMs: number;
  /** After the window, for the last frames and appends to arrive before they are counted. */
  graceMs: number;
  /** Longest wait for a call's greeting. */
  callTimeoutMs: number;
  /** Each window's CPU profile of the target goes here, when given. */
  profileDir?: string;
  /** Progress lines (to stderr when it is a terminal). */
  progress: (line: string) => void;
}

export interface CpuWindow {
  windowMs: number;
  targetMs: number;
  fakeRealtimeMs: number;
  /** The benchmark process: fake Asterisk (for callbridge), callers and ears. */
  benchMs: number;
  otherMs: number;
  /** Shares of all CPUs' time (0–1): idle, softirq (network), steal (taken by the hypervisor). */
  machine: { idle: number; softirq: number; steal: number };
}

export interface StepResult {
  calls: number;
  /** Calls that could not be set up, up to this size. */
  failedCalls: number;
  figures: WindowFigures;
  cpu: CpuWindow;
  memory: ProbeMemory | null;
  /** The target's event loop and GC during the window, from its own probe. */
  probe: ProbeWindow | null;
  /** The same for the benchmark process, whose event loop stamps what the callers hear. */
  benchProbe: ProbeWindow;
  stalls: readonly Stall[];
}

export interface RampResult {
  target: string;
  /** Memory before the first call. */
  baseline: ProbeMemory | null;
  steps: StepResult[];
  errors: string[];
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRamp(
  target: LoadTarget,
  realtime: FakeRealtimeProcess,
  settings: RampSettings,
): Promise<RampResult> {
  const windowUrl = `${new URL(realtime.baseUrl).origin}/_load/window`;
  const log = new FrameLog();
  const calls: LoadCall[] = [];
  const result: RampResult = { target: target.name, baseline: null, steps: [], errors: [], notes: [] };
  const drainer = setInterval(() => target.drain(), 50);
  const benchProbe = new ProcessProbe();
  try {
    result.baseline = await target.memory();
    for (const size of settings.steps) {
      settings.progress(`${target.name}: ${size} calls: placing ${size - calls.length} more`);
      const placing: Promise<void>[] = [];
      while (calls.length < size) {
        const call = new LoadCall(calls.length, log);
        calls.push(call);
        placing.push(
          target.placeCall(call, settings.callTimeoutMs).catch((error: unknown) => {
            call.stopTalking();
            result.errors.push(
              `call ${call.index}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }),
        );
        // Spread at random so the calls' 20 ms clocks do not all tick in the same millisecond.
        if (calls.length < size) await sleep(settings.rampMs * (0.5 + Math.random()));
      }
      await Promise.all(placing);
      await sleep(settings.settleMs);

      settings.progress(`${target.name}: ${size} calls: measuring ${settings.windowMs} ms`);
      const response = await fetch(windowUrl, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /_load/window answered ${response.status}`);
      const profileFile = settings.profileDir
        ? path.join(settings.profileDir, `${target.slug}-${size}-calls.cpuprofile`)
        : undefined;
      await target.windowStart(profileFile);
      // Starting the profiler holds the target's event loop for a moment; let it catch up first.
      if (profileFile) await sleep(250);
      const cpuBefore = cpuSnapshot(target, realtime);
      const stalls = new ListenerStalls(4);
      stalls.start();
      await benchProbe.windowStart();
      const from = performance.timeOrigin + performance.now();
      log.startWindow();
      for (const call of calls) call.startWindow(from);
      await sleep(settings.windowMs);
      const to = performance.timeOrigin + performance.now();
      log.endWindow();
      for (const call of calls) call.endWindow(to);
      const cpu = cpuUsed(cpuBefore, cpuSnapshot(target, realtime), [
        process.pid,
        target.pid,
        realtime.child.pid,
      ]);
      stalls.stop();
      const benchWindow = await benchProbe.windowEnd();
      const probe = await target.windowEnd();

      await sleep(settings.graceMs);
      target.drain();
      const data = (await (await fetch(windowUrl)).json()) as LoadWindowData;
      const figures = windowFigures({ calls, log, realtime: data, stalls: stalls.stalls, to });
      const memory = await target.memory();
      result.steps.push({
        calls: size,
        failedCalls: result.errors.length,
        figures,
        cpu,
        memory,
        probe,
        benchProbe: benchWindow,
        stalls: stalls.stalls,
      });
      if (figures.callsHeard === 0) {
        result.notes.push(`no call heard the agent at ${size} calls; the ramp stops there`);
        break;
      }
    }
    result.notes.push(...(await target.finish()));
  } finally {
    clearInterval(drainer);
    for (const call of calls) call.stopTalking();
  }
  return result;
}

interface CpuSnapshot {
  at: number;
  target: number;
  fakeRealtime: number;
  bench: NodeJS.CpuUsage;
  everyone: Map<number, number>;
  machine: MachineCpu;
}

function cpuSnapshot(target: LoadTarget, realtime: FakeRealtimeProcess): CpuSnapshot {
  return {
    at: performance.now(),
    target: processCpuMs(target.pid),
    fakeRealtime: processCpuMs(realtime.child.pid),
    bench: process.cpuUsage(),
    everyone: allProcessesCpuMs(),
    machine: machineCpuTicks(),
  };
}

function cpuUsed(before: CpuSnapshot, after: CpuSnapshot, ours: number[]): CpuWindow {
  const ticks =
    after.machine.busy +
    after.machine.idle +
    after.machine.steal -
    (before.machine.busy + before.machine.idle + before.machine.steal);
  const bench = {
    user: after.bench.user - before.bench.user,
    system: after.bench.system - before.bench.system,
  };
  return {
    windowMs: after.at - before.at,
    targetMs: after.target - before.target,
    fakeRealtimeMs: after.fakeRealtime - before.fakeRealtime,
    benchMs: (bench.user + bench.system) / 1000,
    otherMs: otherProcessesCpuMs(before.everyone, after.everyone, ours),
    machine: {
      idle: (after.machine.idle - before.machine.idle) / ticks,
      softirq: (after.machine.softirq - before.machine.softirq) / ticks,
      steal: (after.machine.steal - before.machine.steal) / ticks,
    },
  };
}
