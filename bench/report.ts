// The benchmark's printed report: one table per call count, then resource use and problems.
import { availableParallelism } from 'node:os';
import { LISTENER_STALL_MS, type RunData } from './bench-run.ts';
import { type Distribution, distribution } from './distribution.ts';
import type { Figures } from './metrics.ts';

const LABEL_WIDTH = 60;

function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(2);
}

export function figureRow(label: string, samples: readonly number[]): string {
  const d: Distribution = distribution(samples);
  return [
    label.padEnd(LABEL_WIDTH),
    String(d.count).padStart(6),
    ms(d.p50).padStart(9),
    ms(d.p99).padStart(9),
    ms(d.max).padStart(9),
  ].join('');
}

function percentOf(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)}%`;
}

export const FIGURE_HEADER = `${'figure (ms)'.padEnd(LABEL_WIDTH)}${'n'.padStart(6)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`;

export function formatReport(run: RunData, figures: Figures): string {
  const { settings, cpu } = run;
  const { calls, agentFrames, callerFrames } = figures;
  const lines: string[] = [];
  lines.push(
    `== ${settings.calls} concurrent call${settings.calls === 1 ? '' : 's'} ` +
      `(arrivals ${settings.rampMs} ms apart): ${calls.completed}/${settings.calls} completed, ` +
      `${(cpu.windowMs / 1000).toFixed(1)} s`,
  );
  lines.push(FIGURE_HEADER);
  lines.push(figureRow('answer → greeting first RTP frame heard', figures.answerToFirstFrameMs));
  lines.push(figureRow('inbound: caller RTP sent → append at Realtime', figures.inboundMs));
  lines.push(figureRow('outbound: first delta sent → its RTP frame heard', figures.outboundFirstDeltaMs));
  lines.push(figureRow('outbound jitter: |frame interval − 20 ms|', figures.jitterMs));
  lines.push(
    figureRow(
      `  … without frames heard in a bench stall ≥ ${LISTENER_STALL_MS} ms`,
      figures.jitterOutsideStallsMs,
    ),
  );
  lines.push(figureRow('barge-in: speech_started sent → last frame heard', figures.bargeInMs));

  const sent = agentFrames.sentByDaemon;
  const agentLost =
    sent === null
      ? `n/a (no 'call ended' summary for every call), ${agentFrames.heard} heard`
      : `${sent - agentFrames.heard} of ${sent} sent by the daemon (${percentOf(sent - agentFrames.heard, sent)})`;
  lines.push(
    `frames lost     agent → caller: ${agentLost}, sequence gaps ${agentFrames.sequenceGaps}` +
      (agentFrames.unheard > 0 ? `, ${agentFrames.unheard} before answer` : ''),
  );
  const callerLost = callerFrames.sent - callerFrames.reachedModel;
  lines.push(
    `                caller → model: ${callerLost} of ${callerFrames.sent} sent (${percentOf(callerLost, callerFrames.sent)})`,
  );
  const core = (100 * cpu.daemonMs) / cpu.windowMs;
  lines.push(
    `daemon CPU      ${cpu.daemonMs.toFixed(0)} ms in ${(cpu.windowMs / 1000).toFixed(1)} s ` +
      `(${core.toFixed(1)}% of one core) = ${(cpu.daemonMs / settings.calls).toFixed(1)} ms per call`,
  );
  lines.push(
    `other CPU       fake Realtime ${cpu.fakeRealtimeMs.toFixed(0)} ms, ` +
      `bench process (fake Asterisk + callers) ${cpu.benchMs.toFixed(0)} ms, ` +
      `other processes ${cpu.otherProcessesMs.toFixed(0)} ms (${availableParallelism()} CPUs in all)`,
  );
  const late = distribution(run.listenerLateness);
  const stalledMs = run.listenerStalls.reduce((sum, stall) => sum + stall.to - stall.from, 0);
  lines.push(
    `bench listener  event loop late p50 ${ms(late.p50)} / p99 ${ms(late.p99)} / max ${ms(late.max)} ms; ` +
      `${run.listenerStalls.length} stalls ≥ ${LISTENER_STALL_MS} ms (${stalledMs.toFixed(0)} ms in all)`,
  );
  lines.push(
    `barge-ins       ${figures.bargeInMs.length} during agent audio, ` +
      `${figures.truncationsAccepted} truncations accepted, in ${calls.sessions} Realtime sessions`,
  );
  const excluded: string[] = [];
  if (figures.outboundExcluded > 0)
    excluded.push(`${figures.outboundExcluded} responses not starting a spurt`);
  if (figures.bargeInExcluded > 0)
    excluded.push(`${figures.bargeInExcluded} speech_started with no agent audio`);
  if (calls.unmatchedSessions > 0)
    excluded.push(`${calls.unmatchedSessions} Realtime sessions with no caller`);
  if (excluded.length > 0) lines.push(`not measured    ${excluded.join('; ')}`);
  lines.push(`daemon log      ${summariseProblems(run)}`);
  for (const error of calls.errors.slice(0, 5)) lines.push(`call failed     ${error}`);
  if (calls.errors.length > 5) lines.push(`call failed     … and ${calls.errors.length - 5} more`);
  return lines.join('\n');
}

function summariseProblems(run: RunData): string {
  const counts = new Map<string, number>();
  for (const line of run.daemonLogs) {
    if (line.level !== 'warn' && line.level !== 'error' && line.level !== 'fatal') continue;
    const key = `${line.level}: ${line.msg}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, count]) => `${count}× ${key}`);
  if (run.daemonStrayOutput.length > 0) parts.push(`${run.daemonStrayOutput.length} non-JSON stdout lines`);
  return parts.length === 0 ? 'no warn/error lines' : parts.join('; ');
}
