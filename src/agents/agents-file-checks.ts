// Small checks shared by the agents file validators. Each records a problem with the exact path
// (`agents[1].webhooks[0].timeoutMs`) and returns undefined for a missing value and null for an
// invalid one, so the validators carry on and collect every problem in one pass.

export interface AgentsFileProblem {
  readonly path: string;
  readonly reason: string;
}

export type Mapping = Record<string, unknown>;

export class Problems {
  readonly list: AgentsFileProblem[] = [];

  add(path: string, reason: string): void {
    this.list.push({ path, reason });
  }

  get count(): number {
    return this.list.length;
  }
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `agents[0]` + `name` → `agents[0].name`; keys that are not identifiers are quoted. */
export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The value as a mapping with only the allowed keys (unknown keys are problems), else null. */
export function mappingAt(
  value: unknown,
  path: string,
  allowed: readonly string[],
  problems: Problems,
): Mapping | null {
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping');
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.add(keyPath(path, key), 'unknown key');
  }
  return value;
}

export function listAt(value: unknown, path: string, problems: Problems): readonly unknown[] | null {
  if (!Array.isArray(value)) {
    problems.add(path, 'must be a list');
    return null;
  }
  return value;
}

/** A non-empty string; a number gets a hint to quote it (YAML reads 200 as a number). */
export function stringValue(value: unknown, path: string, problems: Problems): string | null {
  if (typeof value === 'number') {
    problems.add(path, `must be a string (quote it: "${value}")`);
    return null;
  }
  if (typeof value !== 'string') {
    problems.add(path, 'must be a string');
    return null;
  }
  if (value.trim().length === 0) {
    problems.add(path, 'must not be empty');
    return null;
  }
  return value;
}

export function requiredString(
  mapping: Mapping,
  key: string,
  path: string,
  problems: Problems,
): string | null {
  const value = mapping[key];
  if (value === undefined || value === null) {
    problems.add(keyPath(path, key), 'is required');
    return null;
  }
  return stringValue(value, keyPath(path, key), problems);
}

export function optionalString(
  mapping: Mapping,
  key: string,
  path: string,
  problems: Problems,
): string | null | undefined {
  const value = mapping[key];
  if (value === undefined) return undefined;
  return stringValue(value, keyPath(path, key), problems);
}

export function optionalBoolean(
  mapping: Mapping,
  key: string,
  path: string,
  problems: Problems,
): boolean | null | undefined {
  const value = mapping[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    problems.add(keyPath(path, key), 'must be true or false');
    return null;
  }
  return value;
}

export function optionalInteger(
  mapping: Mapping,
  key: string,
  path: string,
  range: { min: number; max: number },
  problems: Problems,
): number | null | undefined {
  const value = mapping[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    problems.add(keyPath(path, key), `must be an integer from ${range.min} to ${range.max}`);
    return null;
  }
  return value;
}

/** "two agents", "three agents", "5 agents". */
export function countWord(count: number, noun: string): string {
  const words = ['zero', 'one', 'two', 'three', 'four'];
  return `${words[count] ?? String(count)} ${noun}${count === 1 ? '' : 's'}`;
}
