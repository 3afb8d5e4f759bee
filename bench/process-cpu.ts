// CPU time (user + system) a process has used so far, from /proc/<pid>/stat (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Milliseconds of CPU the process has used (utime + stime); resolution is one clock tick (10 ms). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces; fields follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return ((utime + stime) * 1000) / clockTicksPerSecond();
}

/** CPU used so far by every process on the machine, by pid (processes that vanish mid-read are skipped). */
export function allProcessesCpuMs(): Map<number, number> {
  const usage = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      usage.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // It exited between the listing and the read.
    }
  }
  return usage;
}

/** CPU other processes used between two snapshots (those that exited in between are not counted). */
export function otherProcessesCpuMs(
  before: Map<number, number>,
  after: Map<number, number>,
  exclude: readonly number[],
): number {
  let total = 0;
  for (const [pid, ms] of after)
    if (!exclude.includes(pid)) total += Math.max(0, ms - (before.get(pid) ?? 0));
  return total;
}

/** The machine's CPU time by kind so far, in clock ticks, all CPUs together (/proc/stat). */
export interface MachineCpu {
  busy: number;
  idle: number;
  softirq: number;
  steal: number;
}

export function machineCpuTicks(): MachineCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, softirq, steal };
}
