// Runs the real daemon entry point (node src/main.ts) as a child process, for start-up tests
// that need its exit code and exactly what it printed.
import path from 'node:path';
import { runNodeScript, type ScriptRun } from './run-node-script.ts';

export interface DaemonProcessResult extends ScriptRun {
  lines: Record<string, unknown>[];
}

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');

export async function runDaemonProcess(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<DaemonProcessResult> {
  const run = await runNodeScript(MAIN, [], { env, timeoutMs });
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { unparsed: line };
      }
    });
  return { ...run, lines };
}
