// `npm run bench` end to end with one call: the daemon, the fake Realtime server and the fake
// Asterisk all run, and every figure of the table comes out as a number. No timing is checked.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../../bench/bench.ts', import.meta.url));
const children: ChildProcess[] = [];

// SIGTERM lets the benchmark kill its own children (daemon, fake Realtime) before it exits.
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
});

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BENCH, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const number = String.raw`-?\d+\.\d{2}`;
const figureRow = (label: string) =>
  new RegExp(String.raw`^${label}.*\s+(\d+)\s+${number}\s+${number}\s+${number}$`, 'm');

describe('the benchmark', () => {
  it('runs one call through separate daemon and fake processes and prints every figure', async () => {
    const { code, stdout, stderr } = await runBench([
      '--calls',
      '1',
      '--warmup',
      '0',
      '--rtp-port-min',
      '43000',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/== 1 concurrent call .*: 1\/1 completed/);
    for (const label of [
      'answer → greeting first RTP frame heard',
      'inbound: caller RTP sent → append at Realtime',
      'outbound: first delta sent → its RTP frame heard',
      String.raw`outbound jitter: \|frame interval − 20 ms\|`,
      'barge-in: speech_started sent → last frame heard',
    ]) {
      const row = figureRow(label).exec(stdout);
      expect(row, label).not.toBeNull();
      expect(Number(row![1]), label).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/agent → caller: \d+ of \d+ sent by the daemon/);
    expect(stdout).toMatch(/caller → model: \d+ of \d+ sent/);
    expect(stdout).toMatch(/daemon CPU\s+\d+ ms in [\d.]+ s .* = [\d.]+ ms per call/);
    expect(stdout).toMatch(/barge-ins\s+1 during agent audio, 1 truncations accepted/);
  }, 30_000);
});
