import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentRegistry } from '../../../src/agents/agent-registry.ts';
import { AgentsFileError } from '../../../src/agents/agents-file.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { agent, agentsYaml, writeAgentsFile } from './agents-test-files.ts';

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { level: 'debug', redactTranscripts: false },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

const version1 = agentsYaml([agent('main', { default: true }), agent('dental', { numbers: ['100'] })]);
const version2 = agentsYaml([
  agent('main', { default: true }),
  agent('spa', { numbers: ['100', '_2XX'] }),
  agent('gym', { numbers: ['300'] }),
]);
const invalid = agentsYaml([agent('main', { numbers: ['1'] }), agent('spa', { numbers: ['_1X['] })]);

function activeCount(name: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === name).length;
}

/** Polls on setImmediate: a closed watcher's handle goes once libuv has run its close callback. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const registries: AgentRegistry[] = [];
afterEach(() => {
  for (const registry of registries.splice(0)) registry.close();
});

function open(file: string, logger: ReturnType<typeof createLogger>): AgentRegistry {
  const registry = AgentRegistry.load(file, {}, logger, { debounceMs: 30 });
  registries.push(registry);
  return registry;
}

describe('AgentRegistry', () => {
  it('loads the file and resolves with it', () => {
    const { logger, lines } = captureLogger();
    const registry = open(writeAgentsFile(version1), logger);
    expect(registry.resolve('100').agent.id).toBe('dental');
    expect(lines.find((line) => line.msg === 'agents loaded')).toMatchObject({
      agents: 2,
      exactNumbers: 1,
      patterns: 0,
      defaultAgent: 'main',
    });
  });

  it('refuses to start with an invalid file', () => {
    const { logger } = captureLogger();
    expect(() => AgentRegistry.load(writeAgentsFile(invalid), {}, logger)).toThrow(AgentsFileError);
  });

  it('reloads when the file is written, and calls keep the agent they resolved', async () => {
    const { logger, lines } = captureLogger();
    const file = writeAgentsFile(version1);
    const registry = open(file, logger);
    const inCall = registry.resolve('100').agent;

    writeFileSync(file, version2);
    await vi.waitFor(() => expect(registry.resolve('100').agent.id).toBe('spa'));
    expect(registry.resolve('250').agent.id).toBe('spa');
    expect(inCall.id).toBe('dental');
    expect(Object.isFrozen(inCall)).toBe(true);
    expect(lines.filter((line) => line.msg === 'agents reloaded')).toEqual([
      expect.objectContaining({
        level: 'info',
        reason: 'file_changed',
        agents: 3,
        exactNumbers: 2,
        patterns: 1,
        defaultAgent: 'main',
      }),
    ]);
  });

  it('reloads when an editor replaces the file by renaming a new one over it', async () => {
    const { logger } = captureLogger();
    const file = writeAgentsFile(version1);
    const registry = open(file, logger);
    const replacement = path.join(path.dirname(file), '.agents.yaml.swp');
    writeFileSync(replacement, version2);
    renameSync(replacement, file);
    await vi.waitFor(() => expect(registry.resolve('300').agent.id).toBe('gym'));
  });

  it('keeps the previous agents when the new file is invalid, and logs the problems', async () => {
    const { logger, lines } = captureLogger();
    const file = writeAgentsFile(version1);
    const registry = open(file, logger);
    const before = registry.current;

    writeFileSync(file, invalid);
    await vi.waitFor(() =>
      expect(
        lines.find((line) => line.msg === 'agents file invalid; keeping the previous agents'),
      ).toBeDefined(),
    );
    expect(registry.current).toBe(before);
    expect(registry.resolve('100').agent.id).toBe('dental');
    expect(lines.find((line) => line.level === 'error')).toMatchObject({
      reason: 'file_changed',
      problems: [
        { path: 'agents[1].numbers[0]', reason: 'invalid pattern "_1X[": unclosed "["' },
        { path: 'agents', reason: 'no default agent' },
      ],
    });
  });

  it('reloads on demand for SIGHUP', () => {
    const { logger, lines } = captureLogger();
    const file = writeAgentsFile(version1);
    const registry = AgentRegistry.load(file, {}, logger, { watch: false });
    registries.push(registry);
    writeFileSync(file, version2);
    expect(registry.reload('sighup')).toBe(true);
    expect(registry.resolve('300').agent.id).toBe('gym');
    expect(lines.find((line) => line.msg === 'agents reloaded')).toMatchObject({ reason: 'sighup' });
    writeFileSync(file, '{');
    expect(registry.reload('sighup')).toBe(false);
    expect(registry.resolve('300').agent.id).toBe('gym');
  });

  it('leaves no watcher behind after close, and a pending reload never runs', async () => {
    const { logger, lines } = captureLogger();
    const watchers = activeCount('FSEventWrap');
    const file = writeAgentsFile(version1);
    const registry = AgentRegistry.load(file, {}, logger, { debounceMs: 100 });
    expect(activeCount('FSEventWrap')).toBe(watchers + 1);

    writeFileSync(file, version2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    registry.close();
    await until(() => activeCount('FSEventWrap') === watchers);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(registry.resolve('100').agent.id).toBe('dental');
    expect(lines.filter((line) => line.msg === 'agents reloaded')).toEqual([]);
  });
});
