// `npm run simulate` as a user runs it: a child process that drives one whole call through the
// real daemon, prints a timeline of every stage and writes the caller's side to a WAV file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNodeScript } from '../support/run-node-script.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/simulate.ts');

describe('npm run simulate', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints every stage of one call and writes what the caller heard as an 8 kHz WAV', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'callbridge-simulate-'));
    const wavPath = path.join(dir, 'call.wav');

    const run = await runNodeScript(SCRIPT, ['--wav', wavPath], { timeoutMs: 28_000 });

    expect(run.stderr, run.stdout).toBe('');
    expect(run.code, run.stdout).toBe(0);
    const lines = run.stdout.split('\n');
    const stage = (pattern: RegExp) =>
      lines.find((line) => /^\s+\+\d+ ms\s/.test(line) && pattern.test(line));
    for (const pattern of [
      /call arrives from \+15551234567 to 1000/,
      /answered/,
      /greeting: first audio reaches the caller/,
      /greeting done/,
      /caller speaks/,
      /model hears speech stop/,
      /agent replies/,
      /caller interrupts/,
      /daemon barges in/,
      /agent silent at the caller/,
      /agent answers/,
      /caller hangs up/,
      /resources released .*rtp port/,
    ]) {
      expect(stage(pattern), `no timeline line matching ${pattern}`).toBeDefined();
    }
    // The daemon's JSON log stays out of the timeline unless --verbose.
    expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(run.stdout).toContain(wavPath);

    const wav = readFileSync(wavPath);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.toString('ascii', 12, 16)).toBe('fmt ');
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    const seconds = wav.readUInt32LE(40) / wav.readUInt16LE(32) / 8000;
    // Greeting, request, reply, interruption and answer: several seconds of call.
    expect(seconds).toBeGreaterThan(5);
  }, 30_000);
});
