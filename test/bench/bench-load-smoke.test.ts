// `npm run bench:load` end to end at a tiny size: callbridge, the bare relay, the fake Realtime
// server and the fake Asterisk all run, and every row of every table comes out with numbers.
// No timing is checked.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNodeScript } from '../support/run-node-script.ts';

const LOAD = fileURLToPath(new URL('../../bench/load.ts', import.meta.url));

/** The rows of the table under `heading` (lines starting with a call count), up to the next heading. */
function rowsAfter(stdout: string, heading: string, from = 0): string[] {
  const lines = stdout.slice(stdout.indexOf(heading, from)).split('\n').slice(1);
  const rows: string[] = [];
  for (const line of lines) {
    if (/^\s+\d+\s/.test(line)) rows.push(line);
    else if (rows.length > 0) break;
  }
  return rows;
}

describe('the load benchmark', () => {
  it('drives callbridge and the bare relay through two sizes and prints every figure as a number', async () => {
    const { code, stdout, stderr } = await runNodeScript(
      LOAD,
      [
        ...['--calls', '4', '--steps', '2,4', '--window-ms', '2000', '--settle-ms', '300'],
        // Short replies, so that every window sees replies start (the outbound delay).
        ...['--reply-ms', '1000'],
        ...['--rtp-port-min', '45000', '--relay-port-min', '52000'],
      ],
      { timeoutMs: 28_000 },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const target of ['== callbridge daemon', '== bare relay']) {
      const at = stdout.indexOf(target);
      expect(at, target).toBeGreaterThanOrEqual(0);
      for (const heading of ['media (', 'resources (']) {
        const rows = rowsAfter(stdout, heading, at);
        expect(
          rows.map((r) => Number(r.trim().split(/\s+/)[0])),
          `${target} ${heading}`,
        ).toEqual([2, 4]);
        for (const r of rows) expect(r, `${target}: ${r}`).not.toMatch(/n\/a|NaN/);
      }
    }
    const comparison = rowsAfter(stdout, 'cpu/call cb');
    expect(comparison).toHaveLength(2);
    for (const r of comparison) expect(r).not.toMatch(/n\/a|NaN/);
    expect(stdout).toMatch(/whole run\s+4\/4 'call ended' lines/);
    expect(stdout).toMatch(/^callbridge daemon\s+as the callers heard it: +\S/m);
    expect(stdout).toMatch(/^bare relay\s+as the callers heard it: +\S/m);
  }, 30_000);
});
