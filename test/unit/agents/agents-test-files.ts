// Agents files for tests: written to a fresh temp dir, as YAML (via JSON, which is valid YAML) or
// JSON, from plain objects.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { AgentsFileError, type AgentsFileProblem } from '../../../src/agents/agents-file.ts';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'callbridge-agents-'));
}

export function writeAgentsFile(content: string, name = 'agents.yaml', dir = tempDir()): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

export function agentsYaml(agents: readonly Record<string, unknown>[]): string {
  return `agents: ${JSON.stringify(agents, null, 2)}\n`;
}

export function agent(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `Agent ${id}`, instructions: `You are ${id}.`, ...fields };
}

export function problemsOf(run: () => unknown): AgentsFileProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentsFileError);
    return [...(error as AgentsFileError).problems];
  }
  throw new Error('expected an AgentsFileError');
}

export function problemLines(run: () => unknown): string[] {
  return problemsOf(run).map((p) => `${p.path}: ${p.reason}`);
}
