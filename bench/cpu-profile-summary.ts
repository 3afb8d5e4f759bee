// Where a process spent its CPU, from V8 .cpuprofile files: self time by function and by module,
// idle and the profiler's own node:inspector frames left out. The steady state under load, one
// profile per measurement window (or the whole process with BENCH_DAEMON_NODE_OPTIONS=--cpu-prof):
//   npm run bench:load -- --profile-dir /tmp/prof
//   node bench/cpu-profile-summary.ts /tmp/prof/callbridge-300-calls.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** A readable module name: a path in the repository, a package, a node: built-in, or a V8 pseudo-frame. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packaged) return `${packaged[1]} (package)`;
  return path.relative(ROOT, file);
}

function summarise(profiles: readonly CpuProfile[], top: number): string {
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byOwnCode = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    // The innermost frame of the repository's own code (src/, or bench/ for the relay) above a sample.
    const ownCaller = (id: number): string | undefined => {
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
        const { functionName, url, lineNumber } = nodes.get(at)!.callFrame;
        const module = url ? moduleOf(url, functionName) : '';
        if (/^(src|bench)\//.test(module))
          return `${functionName || '(anonymous)'}  ${module}:${lineNumber + 1}`;
      }
      return undefined;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]!);
      const us = profile.timeDeltas[i] ?? 0;
      if (!node) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idle += us;
        continue;
      }
      const module = moduleOf(url, functionName);
      // The profiler's own start/stop when bench:load profiles a window (process-probe.ts).
      if (module === 'node:inspector') continue;
      total += us;
      const name = `${functionName || '(anonymous)'}  ${module}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      byModule.set(module, (byModule.get(module) ?? 0) + us);
      const own = ownCaller(node.id) ?? `(no own code on the stack) ${module}`;
      byOwnCode.set(own, (byOwnCode.get(own) ?? 0) + us);
    }
  }
  const table = (title: string, entries: Map<string, number>) => {
    const lines = [title];
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(
        `${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      );
    }
    return lines.join('\n');
  };
  return [
    `busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms, in ${profiles.length} profile(s); self time:`,
    table('== by module', byModule),
    table('== by function', byFunction),
    table(
      '== by the innermost own function on the stack (src/ or bench/): its self time plus the library, Node and native work it called',
      byOwnCode,
    ),
  ].join('\n\n');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
if (positionals.length === 0) {
  process.stderr.write('usage: node bench/cpu-profile-summary.ts FILE.cpuprofile… [--top N]\n');
  process.exitCode = 2;
} else {
  const profiles = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(`${summarise(profiles, Number(values.top))}\n`);
}
