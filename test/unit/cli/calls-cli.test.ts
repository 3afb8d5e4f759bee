import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCallsCli, USAGE } from '../../../src/cli/calls-cli.ts';
import type { CallRecord } from '../../../src/store/call-store.ts';
import { SqliteCallStore } from '../../../src/store/sqlite-call-store.ts';
import { callAt, callRecord } from '../../support/call-records.ts';
import { runNodeScript } from '../../support/run-node-script.ts';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('calls CLI', () => {
  let root: string;
  let dataDir: string;
  const records: CallRecord[] = [
    callRecord({ id: 'full' }),
    callAt('sales-1', 10, { agentId: 'sales', callerNumber: '+4940999', costUsd: null, turns: [] }),
    callAt('rec-2', 20, { endReason: 'ai_failed' }),
  ];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'callbridge-cli-'));
    dataDir = join(root, 'data');
    const store = SqliteCallStore.open(dataDir);
    for (const record of records) await store.saveCall(record);
    store.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function run(args: string[], env: NodeJS.ProcessEnv = { STORE_DATA_DIR: dataDir }): Promise<CliRun> {
    const stdout = capture();
    const stderr = capture();
    const code = await runCallsCli(args, { stdout: stdout.stream, stderr: stderr.stream, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('lists calls newest first as a table', async () => {
    const { code, stdout, stderr } = await run(['list']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        'time (UTC)           duration  dialled  caller       agent      end reason     turns     cost',
        '2025-03-01 10:20:00    1m 00s  200      +4930123456  reception  ai_failed          4  $0.1235',
        '2025-03-01 10:10:00    1m 00s  200      +4940999     sales      caller_hangup      0        -',
        '2025-03-01 10:00:00    1m 05s  200      +4930123456  reception  caller_hangup      4  $0.1235',
        '',
      ].join('\n'),
    );
  });

  it('lists as a JSON array with --json, filtered and limited', async () => {
    const { code, stdout } = await run(['list', '--json', '--agent', 'reception', '--limit', '1']);
    expect(code).toBe(0);
    const calls = JSON.parse(stdout) as { id: string; durationMs: number }[];
    expect(calls.map((call) => call.id)).toEqual(['rec-2']);
    expect(calls[0]?.durationMs).toBe(60_000);
  });

  it('filters the list by caller and pages with --before', async () => {
    const byCaller = await run(['list', '--json', '--caller', '+4940999']);
    expect((JSON.parse(byCaller.stdout) as { id: string }[]).map((call) => call.id)).toEqual(['sales-1']);
    const before = await run(['list', '--json', '--before', '2025-03-01T10:10:00.000Z']);
    expect((JSON.parse(before.stdout) as { id: string }[]).map((call) => call.id)).toEqual(['full']);
  });

  it('says so when no call matches', async () => {
    expect((await run(['list', '--agent', 'nobody'])).stdout).toBe('no calls\n');
  });

  it('shows a whole call: header, timeline, tool calls, barge-ins, DTMF, latency, usage, cost', async () => {
    const { code, stdout, stderr } = await run(['show', 'full']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`call      full
channel   1712345678.42
dialled   200
caller    +4930123456 (Ada Lovelace)
agent     reception
arrived   2025-03-01 10:00:00 UTC
answered  2025-03-01 10:00:01 UTC (after 1.5s)
ended     2025-03-01 10:01:05 UTC (after 1m 05s)
reason    caller_hangup
outcome   hung_up

transcript (4 turns, seconds since answer)
  +0.5s agent: Hello, how can I help? (latency 640 ms)
  +4.6s caller: Where is my order 1234?
  +7.5s agent: Let me look that up for you, one moment please (interrupted after 1.2 s, latency 820 ms)
  +9.5s system: tool lookup_order returned

tool calls
  +8.5s  lookup_order ok in 132 ms
         arguments: {"orderId":"1234"}
         result:    {"status":"shipped","eta":"2025-03-03"}

barge-ins
  +8.7s  item item_3, 1.2 s heard

dtmf
 +28.5s  42# (handled by key_action)

latency
  p50 820 ms, max 1500 ms over 3 turns

usage
  input   1800 tokens (audio 1500, text 300, cached 200)
  output  900 tokens (audio 800, text 100)
  cost    $0.123450

media
  {"rtpIn":{"packets":3120,"dropped":{"late":2}},"rtpOut":{"packets":3000}}
`);
  });

  it('shows a call without transcript or cost plainly', async () => {
    const { stdout } = await run(['show', 'sales-1']);
    expect(stdout).toContain('transcript (0 turns, seconds since answer)\n  none\n');
    expect(stdout).toContain('  cost    not estimated\n');
  });

  it('exits 1 for an unknown call id', async () => {
    expect(await run(['show', 'missing'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'calls: no call with id "missing"\n',
    });
  });

  it('exports one parseable JSON record per line, oldest first, from --since on', async () => {
    const all = await run(['export', '--format', 'jsonl']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as CallRecord)).toStrictEqual(records);

    const since = await run(['export', '--since', '2025-03-01T10:10:00.000Z']);
    expect(
      since.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as CallRecord).id),
    ).toEqual(['sales-1', 'rec-2']);
  });

  it('exits 2 naming the supported formats for an unknown export format', async () => {
    const { code, stderr } = await run(['export', '--format', 'csv']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown export format "csv"; supported: jsonl');
  });

  it.each([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['show'], 'show takes exactly one call id'],
    [['list', '--limit', '0'], '--limit must be a whole number'],
    [['list', '--limit', 'ten'], '--limit must be a whole number'],
    [['list', '--since', '2025-01-01'], 'list does not take --since'],
    [['list', '--colour'], "Unknown option '--colour'"],
    [['export', '--since', 'last week'], '--since must be an ISO 8601 time'],
  ])('exits 2 with the usage text for %j', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
    expect(stderr).toContain(USAGE);
  });

  it('prints the usage text on --help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  it('takes the data directory from --data-dir before the environment', async () => {
    const { code, stdout } = await run(['list', '--json', '--data-dir', dataDir], {
      STORE_DATA_DIR: join(root, 'elsewhere'),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(3);
  });

  it('exits 1 without creating anything when there is no store in the data directory', async () => {
    const missing = join(root, 'missing');
    const { code, stderr } = await run(['list'], { STORE_DATA_DIR: missing });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `calls: no call store at ${join(missing, 'callbridge.sqlite')} (use --data-dir or STORE_DATA_DIR)\n`,
    );
  });

  it('runs as a script with the exit code and nothing else on stderr', async () => {
    const script = fileURLToPath(new URL('../../../src/cli/calls-cli.ts', import.meta.url));
    const shown = await runNodeScript(script, ['show', 'rec-2', '--data-dir', dataDir]);
    expect({ code: shown.code, stderr: shown.stderr }).toEqual({ code: 0, stderr: '' });
    expect(shown.stdout).toMatch(/^call {6}rec-2\n/);
    const missing = await runNodeScript(script, ['show', 'nope'], { env: { STORE_DATA_DIR: dataDir } });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 1,
      stderr: 'calls: no call with id "nope"\n',
    });
  });
});
