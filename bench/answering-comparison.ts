// The greeting with preparation on and off: the same calls, with a model that takes a while to
// speak, answered once the greeting is buffered (ANSWER_MODE=when-ready) or at once
// (ANSWER_MODE=immediately, preparing after the answer). What the caller hears as dead air after
// answering is "answer → greeting's first RTP frame"; the time spent ringing is shown beside it.
import type { CallerScript } from './bench-caller.ts';
import { runBench } from './bench-run.ts';
import { computeFigures } from './metrics.ts';
import { FIGURE_HEADER, figureRow } from './report.ts';

export interface AnsweringSettings {
  calls: number;
  modelFirstAudioMs: number;
  rampMs: number;
  rtpPortMin: number;
  script: CallerScript;
}

export async function compareAnswering(
  settings: AnsweringSettings,
): Promise<{ text: string; failures: number }> {
  const lines = [
    `== answering: ${settings.calls} calls, the model's first audio ${settings.modelFirstAudioMs} ms after it is asked`,
    FIGURE_HEADER,
  ];
  let failures = 0;
  for (const [label, mode] of [
    ['preparation on', 'when-ready'],
    ['preparation off', 'immediately'],
  ] as const) {
    const run = await runBench({
      calls: settings.calls,
      warmupCalls: 1,
      rampMs: settings.rampMs,
      script: settings.script,
      rtpPortMin: settings.rtpPortMin,
      daemonEnv: { ANSWER_MODE: mode },
      realtimeArgs: ['--first-audio-delay-ms', String(settings.modelFirstAudioMs)],
    });
    const figures = computeFigures(run);
    failures += figures.calls.errors.length;
    const ringing = run.daemonLogs
      .filter((line) => line['msg'] === 'call answered' && typeof line['preparedMs'] === 'number')
      .slice(-settings.calls)
      .map((line) => line['preparedMs'] as number);
    lines.push(figureRow(`${label}: answer → greeting heard`, figures.answerToFirstFrameMs));
    lines.push(figureRow(`${label}: ringing, arrival → answer`, ringing));
  }
  return { text: lines.join('\n'), failures };
}
