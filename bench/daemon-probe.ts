// Preloaded into the daemon by `npm run bench:load` (NODE_OPTIONS=--expose-gc --import=…): on
// SIGUSR2 it runs the command in $BENCH_PROBE_DIR/command — `window-start [profile file]`,
// `window-end` or `memory` (see process-probe.ts) — and writes the numbered result to
// $BENCH_PROBE_DIR/result. Between signals only a PerformanceObserver for GC pauses is active.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProcessProbe } from './process-probe.ts';

const dir = process.env['BENCH_PROBE_DIR'];
if (dir) {
  const probe = new ProcessProbe();
  let sequence = 0;
  const run = async (command: string, argument: string | undefined): Promise<unknown> => {
    if (command === 'window-start') return (await probe.windowStart(argument)) ?? {};
    if (command === 'window-end') return probe.windowEnd();
    if (command === 'memory') return probe.memory();
    throw new Error(`unknown command ${command}`);
  };
  process.on('SIGUSR2', () => {
    const line = readFileSync(path.join(dir, 'command'), 'utf8').trim();
    const space = line.indexOf(' ');
    void run(space < 0 ? line : line.slice(0, space), space < 0 ? undefined : line.slice(space + 1))
      .catch((error: Error) => ({ error: error.message }))
      .then((result) =>
        writeFileSync(path.join(dir, 'result'), JSON.stringify({ sequence: ++sequence, result })),
      );
  });
}
