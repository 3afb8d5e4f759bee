// The daemon under soak, in a process of its own so that its heap and handles are measured
// without the fakes' (which keep every call they saw). It runs the same Daemon class main.ts
// starts, configured from the environment, and talks to the soak driver over the IPC channel:
// it forwards each `call ended` line and problem lines, and answers stats and GC requests.
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../../src/config/load-config.ts';
import { Daemon } from '../../src/daemon.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { ChildMessage, ChildRequest, ChildStats, ForwardedLine } from './soak-protocol.ts';

function send(message: ChildMessage): void {
  process.send?.(message);
}

if (typeof process.send !== 'function') {
  process.stderr.write('soak-daemon-child.ts is started by the soak driver over IPC\n');
  process.exit(2);
}

const collectGarbage: () => void =
  typeof globalThis.gc === 'function'
    ? globalThis.gc
    : (() => {
        v8.setFlagsFromString('--expose_gc');
        return vm.runInNewContext('gc') as () => void;
      })();

process.on('uncaughtException', (error) => {
  send({ type: 'crash', error: error.stack ?? String(error) });
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  send({
    type: 'crash',
    error: `unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`,
  });
  process.exit(1);
});

/** How many lines of each level and message the daemon wrote (problems are looked at by message). */
const lineCounts: Record<string, number> = {};
const FORWARDED_LEVELS = new Set(['warn', 'error', 'fatal']);

const config = loadConfig({ argv: [], env: process.env });
const logger = createLogger(config.log, {
  write: (text: string) => {
    const line = JSON.parse(text) as ForwardedLine;
    const key = `${line.level} ${line.msg}`;
    lineCounts[key] = (lineCounts[key] ?? 0) + 1;
    if (line.msg === 'call ended' || FORWARDED_LEVELS.has(line.level)) send({ type: 'line', line });
  },
});

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function stats(daemon: Daemon | null, gc: boolean): Promise<ChildStats> {
  if (gc) {
    // Twice, with a turn of the loop between, so finalizers and weak callbacks settle too.
    collectGarbage();
    await tick();
    collectGarbage();
  }
  return {
    leasedPorts: daemon?.ports.leased ?? 0,
    activeCalls: daemon?.orchestrator.activeCalls ?? 0,
    activeTransfers: daemon?.orchestrator.activeTransfers ?? 0,
    events: daemon ? { ...daemon.events.stats } : null,
    resources: resourceCounts(),
    memory: process.memoryUsage(),
    lineCounts: { ...lineCounts },
  };
}

const daemon = await Daemon.start(config, logger);
let running: Daemon | null = daemon;

process.on('message', (raw) => {
  const request = raw as ChildRequest;
  const reply = (value: unknown) => send({ type: 'reply', id: request.id, value });
  switch (request.cmd) {
    case 'stats':
      void stats(running, request.gc === true).then(reply);
      return;
    case 'stop':
      void daemon.stop().then(async () => {
        running = null;
        // Let closed sockets release their handles before they are counted.
        for (let i = 0; i < 5; i++) await tick();
        reply(await stats(null, false));
      });
      return;
  }
});

send({ type: 'ready', pid: process.pid });
