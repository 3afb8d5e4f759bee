// The whole agents file: each agent, then what only the set can tell — unique ids, exactly one
// default agent, and no number claimed by two agents (the same text, or patterns that match the
// same numbers).

import type { AgentDefinition } from './agent-definition.ts';
import { validateAgent } from './agent-validator.ts';
import {
  type AgentsFileProblem,
  countWord,
  indexPath,
  isMapping,
  listAt,
  Problems,
} from './agents-file-checks.ts';
import {
  compareSpecificity,
  type DialplanPattern,
  isPatternSource,
  parseDialplanPattern,
} from './dialplan-pattern.ts';

export type AgentsValidation =
  | { readonly ok: true; readonly agents: readonly AgentDefinition[] }
  | { readonly ok: false; readonly problems: readonly AgentsFileProblem[] };

export function validateAgentsDocument(root: unknown, env: NodeJS.ProcessEnv): AgentsValidation {
  const problems = new Problems();
  if (!isMapping(root)) {
    problems.add('agents', 'is required (the file must be a mapping with an agents list)');
    return { ok: false, problems: problems.list };
  }
  for (const key of Object.keys(root)) {
    // x-… keys hold YAML anchors for reuse.
    if (key !== 'agents' && !key.startsWith('x-')) {
      problems.add(/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key), 'unknown key');
    }
  }
  if (root['agents'] === undefined || root['agents'] === null) {
    problems.add('agents', 'is required');
    return { ok: false, problems: problems.list };
  }
  const list = listAt(root['agents'], 'agents', problems);
  if (list === null) return { ok: false, problems: problems.list };
  if (list.length === 0) {
    problems.add('agents', 'must list at least one agent');
    return { ok: false, problems: problems.list };
  }

  const agents: AgentDefinition[] = [];
  list.forEach((item, index) => {
    const agent = validateAgent(item, indexPath('agents', index), env, problems);
    if (agent !== null) agents.push(agent);
  });
  checkIds(list, problems);
  checkDefault(list, problems);
  checkUnreachable(list, problems);
  checkClaims(list, problems);
  if (problems.count > 0) return { ok: false, problems: problems.list };
  return { ok: true, agents };
}

/** Id and numbers as written, for the checks across agents (valid or not individually). */
function entries(
  list: readonly unknown[],
): { index: number; id: string; numbers: string[]; isDefault: boolean }[] {
  return list.flatMap((item, index) => {
    if (!isMapping(item)) return [];
    const id = typeof item['id'] === 'string' ? item['id'] : `agents[${index}]`;
    const numbers = Array.isArray(item['numbers'])
      ? item['numbers'].filter((n): n is string => typeof n === 'string')
      : [];
    return [{ index, id, numbers, isDefault: item['default'] === true }];
  });
}

function checkIds(list: readonly unknown[], problems: Problems): void {
  const firstIndexOf = new Map<string, number>();
  for (const entry of entries(list)) {
    const item = list[entry.index];
    if (!isMapping(item) || typeof item['id'] !== 'string') continue;
    const first = firstIndexOf.get(entry.id);
    if (first === undefined) firstIndexOf.set(entry.id, entry.index);
    else problems.add(`agents[${entry.index}].id`, `duplicate id "${entry.id}" (also agents[${first}])`);
  }
}

function checkDefault(list: readonly unknown[], problems: Problems): void {
  const defaults = entries(list).filter((entry) => entry.isDefault);
  if (defaults.length === 0) problems.add('agents', 'no default agent');
  if (defaults.length > 1) {
    problems.add('agents', `more than one default agent (${defaults.map((entry) => entry.id).join(', ')})`);
  }
}

function checkUnreachable(list: readonly unknown[], problems: Problems): void {
  for (const entry of entries(list)) {
    const item = list[entry.index];
    const numbers = isMapping(item) ? item['numbers'] : undefined;
    const none =
      numbers === undefined || numbers === null || (Array.isArray(numbers) && numbers.length === 0);
    // An invalid `default` is reported on its own; whether the agent needs numbers is unknown then.
    const flag = isMapping(item) ? item['default'] : undefined;
    if (!entry.isDefault && isMapping(item) && none && (flag === undefined || typeof flag === 'boolean')) {
      problems.add(
        `agents[${entry.index}].numbers`,
        'an agent that is not the default needs at least one number',
      );
    }
  }
}

function checkClaims(list: readonly unknown[], problems: Problems): void {
  const claims = new Map<string, string[]>();
  const patterns: { pattern: DialplanPattern; id: string }[] = [];
  for (const entry of entries(list)) {
    for (const number of new Set(entry.numbers)) {
      const ids = claims.get(number) ?? [];
      if (!ids.includes(entry.id)) ids.push(entry.id);
      claims.set(number, ids);
      if (!isPatternSource(number)) continue;
      const parsed = parseDialplanPattern(number);
      if (parsed.ok) patterns.push({ pattern: parsed.pattern, id: entry.id });
    }
  }
  for (const [number, ids] of claims) {
    if (ids.length < 2) continue;
    const kind = isPatternSource(number) ? 'pattern' : 'number';
    problems.add('agents', `${countWord(ids.length, 'agent')} claim ${kind} "${number}" (${ids.join(', ')})`);
  }
  for (let i = 0; i < patterns.length; i += 1) {
    for (let j = i + 1; j < patterns.length; j += 1) {
      const a = patterns[i]!;
      const b = patterns[j]!;
      if (a.id === b.id || a.pattern.source === b.pattern.source) continue;
      if (compareSpecificity(a.pattern, b.pattern) === 0) {
        problems.add(
          'agents',
          `two agents claim the same numbers with patterns "${a.pattern.source}" (${a.id}) and "${b.pattern.source}" (${b.id})`,
        );
      }
    }
  }
}
