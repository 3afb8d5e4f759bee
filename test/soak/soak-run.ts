// N short calls in sequence through the real daemon (in its own process) against the fake
// Asterisk and the fake Realtime server, in this process. Each call is one of a few kinds: the
// caller or the agent hangs up after a greeting and a few caller frames, the Realtime socket
// drops, the Realtime API refuses the session, or the caller hangs up while it still rings.
// Afterwards nothing may be left anywhere, handle counts must not have grown, and the daemon's
// heap (sampled after a forced GC) must be flat.
import { SeededRandom } from '../fuzz/seeded-random.ts';
import type { HeardPacket } from '../support/fake-asterisk/fake-asterisk.ts';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';
import {
  type CallContext,
  checkSummary,
  KIND_WEIGHTS,
  runCall,
  SHORT_REPLY,
  SOAK_CALL_KINDS,
  type SoakCallKind,
} from './soak-calls.ts';
import { SoakDaemonProcess } from './soak-daemon-process.ts';
import type { ChildStats, ForwardedLine } from './soak-protocol.ts';

export { SOAK_CALL_KINDS, type SoakCallKind };

export interface SoakOptions {
  calls: number;
  seed: number;
  /** Memory/handle samples over the run (default 40). */
  samples?: number;
  /** Called after every call with progress; the script prints from it. */
  onProgress?: (progress: SoakProgress) => void;
  /** Worker-specific RTP range so parallel test files do not collide. */
  rtpPortMin?: number;
  /** Stop at the first problem (the CI test) or collect them all (the script). */
  stopOnProblem?: boolean;
  /** Only these kinds of call (default: all, by weight). */
  kinds?: readonly SoakCallKind[];
}

export interface SoakProgress {
  done: number;
  calls: number;
  elapsedMs: number;
  problems: number;
  lastSample: MemorySample | undefined;
}

export interface MemorySample {
  afterCalls: number;
  heapUsed: number;
  rss: number;
  external: number;
  resources: Record<string, number>;
}

export interface SoakResult {
  seed: number;
  calls: number;
  durationMs: number;
  callsPerSecond: number;
  byKind: Record<SoakCallKind, number>;
  byReason: Record<string, number>;
  problems: string[];
  samples: MemorySample[];
  memory: MemoryTrend;
  /** Handle counts after warm-up and at the end (everything ended, nothing left). */
  resourcesBaseline: Record<string, number>;
  resourcesFinal: Record<string, number>;
  /** Handles left in the daemon's process after Daemon.stop(). */
  resourcesAfterStop: Record<string, number> | null;
  leftovers: string[];
  events: ChildStats['events'];
  /** warn/error lines the daemon wrote, by `<level> <msg>`. */
  problemLineCounts: Record<string, number>;
  /** The same lines by message, step and cause. */
  problemDetails: Record<string, number>;
  rtpIn: { received: number; forwarded: number; dropped: number };
}

export interface MemoryTrend {
  /** Mean heapUsed of the second and the last quarter of the samples, MB. */
  secondQuarterMeanMb: number;
  lastQuarterMeanMb: number;
  deltaMb: number;
  /** Least-squares slope over the second half of the samples. */
  slopeBytesPerCall: number;
}

export const WATCHED_RESOURCES = ['UDPWRAP', 'TCPSocketWrap', 'Timeout'] as const;
/**
 * The soak's ring.maxMs. A call the caller leaves while it rings keeps its ring.maxMs timer (and
 * the CallSession) until that fires; shorter than the 4 s default so counts settle sooner.
 */
const RING_MAX_MS = 1500;
/** ring.maxMs and a margin: handle counts are compared once those timers have run out. */
const RESOURCE_SETTLE_MS = RING_MAX_MS + 1000;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const random = new SeededRandom(options.seed);
  const asterisk = await FakeAsterisk.start({ password: 'soak-ari-secret' });
  const realtime = await FakeRealtimeServer.start({
    apiKey: 'sk-soak-fake',
    replyAudio: () => SHORT_REPLY,
    deltaIntervalMs: 2,
  });
  const rtpPortMin = options.rtpPortMin ?? 40000;
  let daemon: SoakDaemonProcess | null = null;
  const started = performance.now();
  const problems: string[] = [];
  const byKind = Object.fromEntries(SOAK_CALL_KINDS.map((kind) => [kind, 0])) as Record<SoakCallKind, number>;
  const byReason: Record<string, number> = {};
  const samples: MemorySample[] = [];
  const rtpIn = { received: 0, forwarded: 0, dropped: 0 };
  const sampleCount = options.samples ?? 40;
  const sampleEvery = Math.max(1, Math.floor(options.calls / sampleCount));
  const warmup = Math.min(Math.max(10, Math.floor(options.calls / 20)), options.calls);
  let resourcesBaseline: Record<string, number> = {};
  let resourcesFinal: Record<string, number> = {};
  let resourcesAfterStop: Record<string, number> | null = null;
  let lastStats: ChildStats | null = null;
  let leftovers: string[] = [];
  const problem = (text: string) => {
    problems.push(text);
    if (options.stopOnProblem) throw new SoakProblem(text);
  };

  try {
    daemon = await SoakDaemonProcess.start({
      asterisk,
      realtime,
      realtimeApiKey: 'sk-soak-fake',
      rtpPortMin,
      rtpPortMax: rtpPortMin + 99,
      env: { LEFTOVER_SWEEP_CRON: '', RING_MIN_MS: '0', RING_MAX_MS: String(RING_MAX_MS) },
    });
    const ctx: CallContext = { asterisk, realtime, daemon, random };
    const weights = KIND_WEIGHTS.filter(([, kind]) => options.kinds?.includes(kind) ?? true);
    if (weights.length === 0) throw new Error(`no such kinds: ${options.kinds?.join(', ')}`);
    for (let n = 1; n <= options.calls; n++) {
      const kind = random.weighted(weights);
      byKind[kind]++;
      const label = `call ${n} (${kind}, seed ${options.seed})`;
      let ended: ForwardedLine | null = null;
      try {
        ended = await runCall(ctx, kind, random.fork());
      } catch (error) {
        problem(`${label}: ${(error as Error).message}`);
      }
      if (ended) {
        const reason = String(ended['reason']);
        byReason[reason] = (byReason[reason] ?? 0) + 1;
        for (const text of checkSummary(kind, ended)) problem(`${label}: ${text}`);
        const inbound = ended['rtpIn'] as { received: number; forwarded: number; dropped: number } | null;
        if (inbound) {
          rtpIn.received += inbound.received;
          rtpIn.forwarded += inbound.forwarded;
          rtpIn.dropped += inbound.dropped;
        }
      }
      if (daemon.exited) {
        problem(`the daemon died during ${label}: ${daemon.describeExit()}`);
        break;
      }
      pruneFakes(asterisk, realtime);
      if (n === warmup || n % sampleEvery === 0 || n === options.calls) {
        const left = await settle(ctx);
        if (left.length > 0) problem(`after ${label}: left behind: ${left.join(', ')}`);
        lastStats = await daemon.stats({ gc: true });
        const sample: MemorySample = {
          afterCalls: n,
          heapUsed: lastStats.memory.heapUsed,
          rss: lastStats.memory.rss,
          external: lastStats.memory.external,
          resources: lastStats.resources,
        };
        samples.push(sample);
        if (n === warmup) resourcesBaseline = await settledResources(daemon, lastStats.resources);
      }
      options.onProgress?.({
        done: n,
        calls: options.calls,
        elapsedMs: performance.now() - started,
        problems: problems.length,
        lastSample: samples.at(-1),
      });
    }
    leftovers = await settle(ctx);
    lastStats = await daemon.stats();
    resourcesFinal = await settledResources(daemon, lastStats.resources);
    if (lastStats.activeCalls !== 0) problem(`${lastStats.activeCalls} call(s) still active in the daemon`);
    if (lastStats.leasedPorts !== 0) problem(`${lastStats.leasedPorts} RTP port(s) still leased`);
    for (const kind of WATCHED_RESOURCES) {
      const before = resourcesBaseline[kind] ?? 0;
      const after = resourcesFinal[kind] ?? 0;
      if (after > before + 2) problem(`${kind} handles grew from ${before} to ${after}`);
    }
    resourcesAfterStop = (await daemon.stop())?.resources ?? null;
  } catch (error) {
    if (!(error instanceof SoakProblem)) problems.push(`soak aborted: ${(error as Error).stack ?? error}`);
  } finally {
    daemon?.kill();
    await asterisk.stop();
    await realtime.stop();
  }
  const durationMs = performance.now() - started;
  const problemLineCounts: Record<string, number> = {};
  for (const [key, count] of Object.entries(lastStats?.lineCounts ?? {})) {
    if (!key.startsWith('info ') && !key.startsWith('debug ')) problemLineCounts[key] = count;
  }
  return {
    seed: options.seed,
    calls: options.calls,
    durationMs,
    callsPerSecond: options.calls / (durationMs / 1000),
    byKind,
    byReason,
    problems,
    samples,
    memory: memoryTrend(samples),
    resourcesBaseline,
    resourcesFinal,
    resourcesAfterStop,
    leftovers,
    events: lastStats?.events ?? null,
    problemLineCounts,
    problemDetails: { ...daemon?.problemCounts },
    rtpIn,
  };
}

class SoakProblem extends Error {}

/**
 * Waits until the daemon and the fakes are idle (everything released), then says what is left:
 * bridges, channels, sessions in the fakes; calls and ports in the daemon.
 */
async function settle(ctx: CallContext): Promise<string[]> {
  const { asterisk, realtime, daemon } = ctx;
  let stats: ChildStats | null = null;
  const left = (): string[] => [
    ...asterisk.bridges().map((bridge) => `bridge ${bridge.id}`),
    ...asterisk.channels().map((channel) => `channel ${channel.name}`),
    ...realtime.sessions.filter((s) => !s.closed).map((s) => `Realtime session ${s.index}`),
    ...(stats && stats.activeCalls > 0 ? [`${stats.activeCalls} active call(s)`] : []),
    ...(stats && stats.leasedPorts > 0 ? [`${stats.leasedPorts} leased port(s)`] : []),
  ];
  const deadline = performance.now() + 5000;
  for (;;) {
    stats = await daemon.stats();
    const now = left();
    if (now.length === 0 || performance.now() > deadline) return now;
    await sleep(10);
  }
}

/**
 * The fakes keep every call, request, event and session they saw, for tests to inspect. Over
 * thousands of calls that is the driver's memory, not the daemon's; forget what is finished.
 */
function pruneFakes(asterisk: FakeAsterisk, realtime: FakeRealtimeServer): void {
  for (const call of asterisk.calls()) {
    if (!call.alive) (call.heard as HeardPacket[]).length = 0;
  }
  (asterisk.requests as unknown[]).length = 0;
  (asterisk.events as unknown[]).length = 0;
  for (let i = realtime.sessions.length - 1; i >= 0; i--) {
    if (realtime.sessions[i]!.closed) realtime.sessions.splice(i, 1);
  }
  realtime.upgradeAttempts.length = 0;
}

export function memoryTrend(samples: readonly MemorySample[]): MemoryTrend {
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
  const n = samples.length;
  const quarter = (k: number) => samples.slice(Math.floor((k * n) / 4), Math.floor(((k + 1) * n) / 4));
  const second = mean(quarter(1).map((s) => s.heapUsed));
  const last = mean(quarter(3).map((s) => s.heapUsed));
  const half = samples.slice(Math.floor(n / 2));
  let slope = 0;
  if (half.length >= 2) {
    const mx = mean(half.map((s) => s.afterCalls));
    const my = mean(half.map((s) => s.heapUsed));
    let num = 0;
    let den = 0;
    for (const s of half) {
      num += (s.afterCalls - mx) * (s.heapUsed - my);
      den += (s.afterCalls - mx) ** 2;
    }
    slope = den === 0 ? 0 : num / den;
  }
  return {
    secondQuarterMeanMb: mb(second),
    lastQuarterMeanMb: mb(last),
    deltaMb: mb(last - second),
    slopeBytesPerCall: slope,
  };
}

/** The lowest count of each watched kind over RESOURCE_SETTLE_MS, once ring timers have run out. */
async function settledResources(
  daemon: SoakDaemonProcess,
  first: Record<string, number>,
): Promise<Record<string, number>> {
  const lowest = { ...first };
  for (let waited = 0; waited < RESOURCE_SETTLE_MS; waited += 100) {
    await sleep(100);
    const { resources } = await daemon.stats();
    for (const kind of WATCHED_RESOURCES) lowest[kind] = Math.min(lowest[kind] ?? 0, resources[kind] ?? 0);
  }
  return lowest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
