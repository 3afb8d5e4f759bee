// Reads the agents file (YAML for .yaml/.yml, JSON for .json) and validates all of it. Any problem
// becomes one AgentsFileError that lists every problem with its path, so one edit can fix them all.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { AgentsFileProblem } from './agents-file-checks.ts';
import { validateAgentsDocument } from './agents-file-validator.ts';
import { AgentSet } from './did-router.ts';

export type { AgentsFileProblem };

export class AgentsFileError extends Error {
  readonly file: string;
  readonly problems: readonly AgentsFileProblem[];

  constructor(file: string, problems: readonly AgentsFileProblem[]) {
    super(`invalid agents file ${file}:\n${problems.map((p) => `  ${p.path}: ${p.reason}`).join('\n')}`);
    this.name = 'AgentsFileError';
    this.file = file;
    this.problems = problems;
  }
}

export function loadAgentsFile(file: string, env: NodeJS.ProcessEnv): AgentSet {
  const validation = validateAgentsDocument(parseAgentsFile(file), env);
  if (!validation.ok) throw new AgentsFileError(file, validation.problems);
  return new AgentSet(validation.agents);
}

/** The file's content as plain data; syntax errors carry their line and column. */
export function parseAgentsFile(file: string): unknown {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.yaml' && extension !== '.yml' && extension !== '.json') {
    throw new AgentsFileError(file, [
      { path: 'file', reason: `unknown extension "${extension}": use .yaml, .yml or .json` },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${errorText(error)})`;
    throw new AgentsFileError(file, [{ path: 'file', reason }]);
  }
  return extension === '.json' ? parseJson(file, text) : parseYaml(file, text);
}

function parseYaml(file: string, text: string): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new AgentsFileError(
      file,
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        return {
          path: at === undefined ? 'YAML' : `line ${at.line}, column ${at.col}`,
          reason: error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ''),
        };
      }),
    );
  }
  try {
    return document.toJS() as unknown;
  } catch (error) {
    // e.g. too many alias expansions
    throw new AgentsFileError(file, [{ path: 'YAML', reason: errorText(error) }]);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AgentsFileError(file, [
      { path: jsonErrorPosition(text, errorText(error)), reason: errorText(error) },
    ]);
  }
}

/** V8 names the position in some JSON errors ("at position 42"); turn it into line and column. */
function jsonErrorPosition(text: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match === null) return 'JSON';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
