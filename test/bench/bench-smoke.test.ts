// `npm run bench` end to end with one call: the daemon, the fake Realtime server and the fake
// Asterisk all run, and every figure of the table comes out as a number. No timing is checked.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNodeScript } from '../support/run-node-script.ts';

const BENCH = fileURLToPath(new URL('../../bench/bench.ts', import.meta.url));
const number = String.raw`-?\d+\.\d{2}`;
const figureRow = (label: string) =>
  new RegExp(String.raw`^${label}.*\s+(\d+)\s+${number}\s+${number}\s+${number}$`, 'm');

describe('the benchmark', () => {
  it('runs one call through separate daemon and fake processes and prints every figure', async () => {
    const { code, stdout, stderr } = await runNodeScript(
      BENCH,
      ['--calls', '1', '--warmup', '0', '--rtp-port-min', '43000'],
      { timeoutMs: 28_000 },
    );
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
