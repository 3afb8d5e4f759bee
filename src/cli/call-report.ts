// Call records as text for a terminal: the list table and one call's full report. Times are UTC;
// offsets in a call are seconds since it was answered (or arrived, if it never was).
import type { CallListItem, CallRecord } from '../store/call-store.ts';

/** Transcripts and tool results are untrusted: no terminal control sequences get through. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** For table cells and header fields: one line. */
export function oneLine(text: string): string {
  return printable(text).replace(/\n/g, ' ');
}

export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? oneLine(iso) : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m ${seconds}s` : `${minutes}m ${seconds}s`;
}

export function formatCost(costUsd: number | null, decimals = 4): string {
  return costUsd === null ? '-' : `$${costUsd.toFixed(decimals)}`;
}

/** Nearest-rank percentile of an unsorted list; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export function formatCallTable(calls: readonly CallListItem[]): string {
  if (calls.length === 0) return 'no calls\n';
  const header = ['time (UTC)', 'duration', 'dialled', 'caller', 'agent', 'end reason', 'turns', 'cost'];
  const rightAligned = new Set([1, 6, 7]);
  const rows = calls.map((call) => [
    formatUtc(call.arrivedAt),
    formatDuration(call.durationMs),
    oneLine(call.dialled),
    oneLine(call.callerNumber),
    oneLine(call.agentId),
    oneLine(call.endReason),
    String(call.turns),
    formatCost(call.costUsd),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function formatCallReport(call: CallRecord): string {
  const start = Date.parse(call.answeredAt ?? call.arrivedAt);
  const offset = (at: string): string => {
    const ms = Date.parse(at) - start;
    if (Number.isNaN(ms)) return '?'.padStart(7);
    return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(1)}s`.padStart(7);
  };
  const out: string[] = [];
  const field = (name: string, value: string): void => void out.push(`${name.padEnd(10)}${value}`);
  const section = (title: string): void => void out.push('', title);
  const indent = (text: string, by: string): string => printable(text).split('\n').join(`\n${by}`);

  field('call', oneLine(call.id));
  field('channel', oneLine(call.channelId));
  field('dialled', oneLine(call.dialled));
  field('caller', oneLine(call.callerName ? `${call.callerNumber} (${call.callerName})` : call.callerNumber));
  field('agent', oneLine(call.agentId));
  field('arrived', `${formatUtc(call.arrivedAt)} UTC`);
  const arrived = Date.parse(call.arrivedAt);
  field(
    'answered',
    call.answeredAt === null
      ? 'never'
      : `${formatUtc(call.answeredAt)} UTC (after ${formatDuration(Date.parse(call.answeredAt) - arrived)})`,
  );
  field(
    'ended',
    `${formatUtc(call.endedAt)} UTC (after ${formatDuration(Date.parse(call.endedAt) - arrived)})`,
  );
  field('reason', oneLine(call.endReason));
  field('outcome', oneLine(call.callerOutcome));

  section(`transcript (${call.turns.length} turns, seconds since ${call.answeredAt ? 'answer' : 'arrival'})`);
  if (call.turns.length === 0) out.push('  none');
  for (const turn of call.turns) {
    const notes: string[] = [];
    if (turn.interrupted)
      notes.push(
        turn.heardMs === undefined
          ? 'interrupted'
          : `interrupted after ${(turn.heardMs / 1000).toFixed(1)} s`,
      );
    if (turn.latencyMs !== undefined) notes.push(`latency ${Math.round(turn.latencyMs)} ms`);
    const prefix = `${offset(turn.at)} ${turn.role}: `;
    const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    out.push(`${prefix}${indent(turn.text, ' '.repeat(prefix.length))}${note}`);
  }

  section('tool calls');
  if (call.toolCalls.length === 0) out.push('  none');
  for (const tool of call.toolCalls) {
    const status = tool.ok ? `ok in ${tool.durationMs} ms` : `failed after ${tool.durationMs} ms`;
    const pad = ' '.repeat(9);
    out.push(`${offset(tool.at)}  ${oneLine(tool.name)} ${status}`);
    out.push(`${pad}arguments: ${indent(JSON.stringify(tool.arguments) ?? 'none', pad)}`);
    out.push(`${pad}result:    ${indent(JSON.stringify(tool.result) ?? 'none', pad)}`);
  }

  section('barge-ins');
  if (call.bargeIns.length === 0) out.push('  none');
  for (const bargeIn of call.bargeIns) {
    const item = bargeIn.itemId === null ? 'no item playing' : `item ${oneLine(bargeIn.itemId)}`;
    out.push(`${offset(bargeIn.at)}  ${item}, ${(bargeIn.heardMs / 1000).toFixed(1)} s heard`);
  }

  section('dtmf');
  if (call.dtmf.length === 0) out.push('  none');
  for (const press of call.dtmf)
    out.push(`${offset(press.at)}  ${oneLine(press.digits)} (handled by ${press.handledBy})`);

  section('latency');
  const p50 = percentile(call.turnLatenciesMs, 50);
  const max = percentile(call.turnLatenciesMs, 100);
  out.push(
    p50 === null || max === null
      ? '  none measured'
      : `  p50 ${Math.round(p50)} ms, max ${Math.round(max)} ms over ${call.turnLatenciesMs.length} turns`,
  );

  const u = call.usage;
  section('usage');
  out.push(
    `  input   ${u.inputTokens} tokens (audio ${u.inputAudioTokens}, text ${u.inputTextTokens}, cached ${u.cachedInputTokens})`,
    `  output  ${u.outputTokens} tokens (audio ${u.outputAudioTokens}, text ${u.outputTextTokens})`,
    `  cost    ${call.costUsd === null ? 'not estimated' : formatCost(call.costUsd, 6)}`,
  );
  if (Object.keys(call.media).length > 0) {
    section('media');
    out.push(`  ${oneLine(JSON.stringify(call.media))}`);
  }
  return `${out.join('\n')}\n`;
}
