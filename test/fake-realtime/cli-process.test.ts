import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeStats } from '../support/fake-realtime/realtime-stats.ts';
import { RealtimeTestClient } from '../support/fake-realtime/realtime-test-client.ts';
import { silenceAudio, toneAudio } from '../support/fake-realtime/tone-audio.ts';

const cliPath = fileURLToPath(new URL('../support/fake-realtime/cli.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startCli(args: string[]): Promise<{ child: ChildProcess; baseUrl: string; port: number }> {
  // process.execPath is the pinned Node 24, which runs the .ts entry point directly.
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return { child, ...(JSON.parse(line) as { baseUrl: string; port: number }) };
}

describe('fake realtime server CLI', () => {
  it('serves Realtime and /_stats in its own process and exits cleanly on SIGTERM', async () => {
    const { child, baseUrl, port } = await startCli([
      '--port',
      '0',
      '--first-audio-delay-ms',
      '20',
      '--delta-bytes',
      '1600',
      '--api-key',
      'sk-cli',
    ]);
    expect(baseUrl).toBe(`http://127.0.0.1:${port}/v1`);

    const client = await RealtimeTestClient.connect(baseUrl, { apiKey: 'sk-cli' });
    await client.useG711('audio/pcmu');
    const turn = Buffer.concat([
      toneAudio('audio/pcmu', [{ hz: 300, ms: 300 }]),
      silenceAudio('audio/pcmu', 300),
    ]);
    client.appendAudio(turn);
    await client.waitForEvent('response.done');
    await client.close();

    const response = await fetch(`http://127.0.0.1:${port}/_stats`);
    const stats = (await response.json()) as RealtimeStats;
    const session = stats.sessions[0]!;
    expect(session.appends).toHaveLength(turn.length / 160);
    expect(session.appends[0]).toMatchObject({ head: turn.subarray(0, 4).toString('hex'), length: 160 });
    expect(session.vadEvents.map((v) => v.type)).toEqual(['speech_started', 'speech_stopped']);
    const reply = session.responses[0]!;
    expect(reply.deltas).toHaveLength(8);
    expect(reply.deltas[1]).toMatchObject({ byteOffset: 1600, length: 1600 });
    expect(reply.firstDeltaAt! - reply.createdAt).toBeGreaterThanOrEqual(15);
    expect(session.closedAt).not.toBeNull();

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
