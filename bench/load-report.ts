// The printed report of `npm run bench:load`: per target one row per call count (media, then
// resources), then callbridge against the bare relay, then where jitter or loss sets in.
import { distribution } from './distribution.ts';
import { histogramCount, histogramQuantileBound, histogramShareAbove } from './lateness-histogram.ts';
import type { RampResult, StepResult } from './load-ramp.ts';

const MB = 1024 * 1024;

function num(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padStart(widths[i] ?? 8)).join('');
}

/** CPU milliseconds per second of call: 10 ms/s is 1% of one core per call. */
export function cpuPerCall(step: StepResult): number {
  return step.figures.callsHeard === 0
    ? Number.NaN
    : step.cpu.targetMs / (step.cpu.windowMs / 1000) / step.figures.callsHeard;
}

function percentCore(ms: number, windowMs: number): string {
  return `${num((100 * ms) / windowMs, 1)}%`;
}

/** Memory growth per call from the previous size (the first from no calls), bytes. */
export function memoryPerCall(ramp: RampResult, index: number, key: 'rss' | 'heapUsed'): number {
  const step = ramp.steps[index]!;
  const previous = index === 0 ? ramp.baseline : ramp.steps[index - 1]!.memory;
  const previousCalls = index === 0 ? 0 : ramp.steps[index - 1]!.calls;
  if (!step.memory || !previous) return Number.NaN;
  return (step.memory[key] - previous[key]) / (step.calls - previousCalls);
}

/** Growth per call over the whole ramp: first size to last (or from no calls, for one size). */
export function memorySlope(ramp: RampResult, key: 'rss' | 'heapUsed'): number {
  const first = ramp.steps[0];
  const last = ramp.steps.at(-1);
  if (!first || !last) return Number.NaN;
  if (first === last) return memoryPerCall(ramp, 0, key);
  if (!first.memory || !last.memory) return Number.NaN;
  return (last.memory[key] - first.memory[key]) / (last.calls - first.calls);
}

export interface Knee {
  calls: number | null;
  why: string;
}

export type KneeJudge = 'heard' | 'heardOutsideStalls' | 'ownClock';

/**
 * The smallest size at which outbound jitter exceeds the limit at p99 or a frame was lost either
 * way. Jitter as the callers heard it, the same without bench stalls, or (ownClock) the share of
 * frames the target itself sent more than the limit late.
 */
export function findKnee(ramp: RampResult, limitMs: number, judge: KneeJudge = 'heard'): Knee {
  for (const step of ramp.steps) {
    const f = step.figures;
    const why: string[] = [];
    if (judge === 'ownClock') {
      const h = step.probe?.lateness;
      const share = h ? histogramShareAbove(h, limitMs) : Number.NaN;
      if (!(share <= 0.01)) why.push(`${num(100 * share)}% of frames left > ${limitMs} ms late`);
    } else {
      const p99 = distribution(judge === 'heard' ? f.jitterMs : f.jitterOutsideStallsMs).p99;
      if (!(p99 <= limitMs)) why.push(`jitter p99 ${num(p99)} ms`);
    }
    const lostOut = f.agentFrames.sequenceGaps;
    const lostIn = f.callerFrames.sent - f.callerFrames.reachedModel;
    if (lostOut > 0) why.push(`${lostOut} frames lost to the callers`);
    if (lostIn > 0) why.push(`${lostIn} frames lost to the model`);
    if (f.callsHeard < step.calls) why.push(`${step.calls - f.callsHeard} calls not heard`);
    if (why.length > 0) return { calls: step.calls, why: why.join(', ') };
  }
  const last = ramp.steps.at(-1)?.calls;
  return { calls: null, why: last === undefined ? 'nothing measured' : `none up to ${last} calls` };
}

/** The target's own view: p99 bucket bound of its frames' lateness, and the share over 3 ms. */
function ownLateness(step: StepResult): [string, string] {
  const h = step.probe?.lateness;
  if (!h || histogramCount(h) === 0) return ['n/a', 'n/a'];
  const bound = histogramQuantileBound(h, 0.99);
  return [
    Number.isFinite(bound) ? `≤${bound}` : `>${h.le.at(-2)}`,
    `${num(100 * histogramShareAbove(h, 3), 2)}%`,
  ];
}

const MEDIA_WIDTHS = [6, 7, 9, 9, 9, 12, 10, 9, 10, 10, 9, 9, 7];
const RESOURCE_WIDTHS = [6, 12, 8, 11, 8, 9, 8, 8, 9, 9, 10, 11];

export function rampTables(ramp: RampResult): string {
  const lines = [
    `== ${ramp.target}`,
    'media (ms; jitter = |frame interval − 20 ms| of the agent audio heard; ¬stall: without frames',
    'heard while the benchmark process itself was stalled ≥ 4 ms; late: how late the target sent its',
    'frames against its own deadlines, as it measured itself (p99 as a histogram bucket bound, share',
    'over 3 ms); lost = frames sent but never received; in/out: added latency each way)',
    row(
      [
        'calls',
        'heard',
        'jit p50',
        'jit p99',
        'jit max',
        'p99 ¬stall',
        'late p99',
        'late >3',
        'lost out',
        'lost in',
        'in p99',
        'out p99',
        'out n',
      ],
      MEDIA_WIDTHS,
    ),
  ];
  for (const step of ramp.steps) {
    const f = step.figures;
    const jitter = distribution(f.jitterMs);
    lines.push(
      row(
        [
          String(step.calls),
          String(f.callsHeard),
          num(jitter.p50),
          num(jitter.p99),
          num(jitter.max),
          num(distribution(f.jitterOutsideStallsMs).p99),
          ...ownLateness(step),
          String(f.agentFrames.sequenceGaps),
          String(f.callerFrames.sent - f.callerFrames.reachedModel),
          num(distribution(f.inboundMs).p99),
          num(distribution(f.outboundMs).p99),
          String(f.outboundMs.length),
        ],
        MEDIA_WIDTHS,
      ),
    );
  }
  lines.push(
    'resources (CPU over the window, % of one core; cpu/call in CPU ms per second of call; loop busy: the',
    "target's event loop utilisation; GC max: its longest GC pause, ms; memory after a full GC; per call:",
    'growth from the previous size ÷ calls added)',
    row(
      [
        'calls',
        'cpu/call',
        'target',
        'loop busy',
        'GC max',
        'fake RT',
        'bench',
        'other',
        'RSS MB',
        'heap MB',
        'RSS/call',
        'heap/call',
      ],
      RESOURCE_WIDTHS,
    ),
  );
  ramp.steps.forEach((step, index) => {
    const { cpu } = step;
    lines.push(
      row(
        [
          String(step.calls),
          `${num(cpuPerCall(step))} ms/s`,
          percentCore(cpu.targetMs, cpu.windowMs),
          `${num(100 * (step.probe?.loopBusy ?? Number.NaN), 1)}%`,
          num(step.probe?.gcMaxMs ?? Number.NaN, 1),
          percentCore(cpu.fakeRealtimeMs, cpu.windowMs),
          percentCore(cpu.benchMs, cpu.windowMs),
          percentCore(cpu.otherMs, cpu.windowMs),
          num((step.memory?.rss ?? Number.NaN) / MB, 1),
          num((step.memory?.heapUsed ?? Number.NaN) / MB, 1),
          `${num(memoryPerCall(ramp, index, 'rss') / 1024, 0)} kB`,
          `${num(memoryPerCall(ramp, index, 'heapUsed') / 1024, 0)} kB`,
        ],
        RESOURCE_WIDTHS,
      ),
    );
  });
  const base = ramp.baseline;
  lines.push(
    `memory          before the first call: RSS ${num((base?.rss ?? Number.NaN) / MB, 1)} MB, heap ${num((base?.heapUsed ?? Number.NaN) / MB, 1)} MB; ` +
      `per call over the ramp: RSS ${num(memorySlope(ramp, 'rss') / 1024, 0)} kB, heap ${num(memorySlope(ramp, 'heapUsed') / 1024, 0)} kB`,
  );
  for (const step of ramp.steps) {
    const f = step.figures;
    const notes: string[] = [];
    if (f.outboundExcluded > 0) notes.push(`${f.outboundExcluded} replies not heard as a new talk spurt`);
    const stalledMs = step.stalls.reduce((sum, s) => sum + s.to - s.from, 0);
    const { machine } = step.cpu;
    notes.push(
      `machine idle ${num(100 * machine.idle, 0)}% (softirq ${num(100 * machine.softirq, 0)}%, steal ${num(100 * machine.steal, 0)}%)`,
    );
    notes.push(
      `bench loop busy ${num(100 * step.benchProbe.loopBusy, 0)}%, GC max ${num(step.benchProbe.gcMaxMs, 1)} ms, ` +
        `${step.stalls.length} stalls ≥ 4 ms (${stalledMs.toFixed(0)} ms)`,
    );
    if (step.probe)
      notes.push(`target GC ${num((100 * step.probe.gcTotalMs) / step.cpu.windowMs, 1)}% of the time`);
    notes.push(`${f.agentFrames.heard} frames heard, ${f.callerFrames.sent} sent`);
    lines.push(`${String(step.calls).padStart(6)} calls      ${notes.join('; ')}`);
  }
  lines.push(...ramp.notes);
  if (ramp.errors.length > 0) {
    lines.push(`calls failed    ${ramp.errors.length}: ${ramp.errors.slice(0, 3).join('; ')}`);
  }
  return lines.join('\n');
}

const COMPARE_WIDTHS = [6, 14, 15, 8, 12, 14, 13, 15];

export function comparisonTable(daemon: RampResult, relay: RampResult): string {
  const lines = [
    `== ${daemon.target} against the ${relay.target} (overhead = daemon ÷ relay)`,
    row(
      [
        'calls',
        'cpu/call cb',
        'cpu/call bare',
        'ratio',
        'jit p99 cb',
        'jit p99 bare',
        'RSS/call cb',
        'RSS/call bare',
      ],
      COMPARE_WIDTHS,
    ),
  ];
  daemon.steps.forEach((step, index) => {
    const other = relay.steps.find((s) => s.calls === step.calls);
    const otherIndex = other ? relay.steps.indexOf(other) : -1;
    const cb = cpuPerCall(step);
    const bare = other ? cpuPerCall(other) : Number.NaN;
    lines.push(
      row(
        [
          String(step.calls),
          `${num(cb)} ms/s`,
          `${num(bare)} ms/s`,
          `${num(cb / bare, 1)}×`,
          num(distribution(step.figures.jitterMs).p99),
          num(other ? distribution(other.figures.jitterMs).p99 : Number.NaN),
          `${num(memoryPerCall(daemon, index, 'rss') / 1024, 0)} kB`,
          `${num(otherIndex < 0 ? Number.NaN : memoryPerCall(relay, otherIndex, 'rss') / 1024, 0)} kB`,
        ],
        COMPARE_WIDTHS,
      ),
    );
  });
  lines.push(
    `memory per call over the ramp: RSS ${num(memorySlope(daemon, 'rss') / 1024, 0)} kB vs ${num(memorySlope(relay, 'rss') / 1024, 0)} kB, ` +
      `heap ${num(memorySlope(daemon, 'heapUsed') / 1024, 0)} kB vs ${num(memorySlope(relay, 'heapUsed') / 1024, 0)} kB`,
  );
  return lines.join('\n');
}

export function kneeLines(ramps: readonly RampResult[], limitMs: number): string {
  const lines = [`== knee: the smallest size with outbound jitter p99 > ${limitMs} ms or a frame lost`];
  const judges: [KneeJudge, string][] = [
    ['heard', 'as the callers heard it'],
    ['heardOutsideStalls', 'without bench stalls'],
    ['ownClock', "by the target's own clock"],
  ];
  for (const ramp of ramps) {
    judges.forEach(([judge, label], i) => {
      const knee = findKnee(ramp, limitMs, judge);
      const verdict = knee.calls === null ? knee.why : `${knee.calls} calls (${knee.why})`;
      lines.push(`${(i === 0 ? ramp.target : '').padEnd(19)}${`${label}:`.padEnd(27)}${verdict}`);
    });
  }
  return lines.join('\n');
}
