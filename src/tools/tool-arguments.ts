// The model sends a function call's arguments as JSON text; these turn it into an object and give
// it a light check against the tool's schema before anything is done with it.

export type ParsedArguments = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

/** Accepts the JSON text the model sent (blank counts as `{}`) or an already parsed object. */
export function parseToolArguments(args: unknown): ParsedArguments {
  let value = args;
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: true, args: {} };
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, error: 'arguments are not valid JSON' };
    }
  }
  if (!isPlainObject(value)) return { ok: false, error: 'arguments must be a JSON object' };
  return { ok: true, args: value };
}

const typeChecks: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: isPlainObject,
  array: Array.isArray,
  null: (v) => v === null,
};

/**
 * Checks the schema's `required` list and the `type` (and `enum`) of each top-level property that
 * is present; returns the first problem, or undefined. Nested schemas are not checked.
 */
export function validateArguments(schema: Record<string, unknown>, args: unknown): string | undefined {
  if (!isPlainObject(args)) return 'arguments must be a JSON object';
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  for (const name of required) {
    if (typeof name === 'string' && args[name] === undefined) return `missing required argument '${name}'`;
  }
  const properties = isPlainObject(schema['properties']) ? schema['properties'] : {};
  for (const [name, property] of Object.entries(properties)) {
    const value = args[name];
    if (value === undefined || !isPlainObject(property)) continue;
    const problem = propertyProblem(name, property, value);
    if (problem) return problem;
  }
  return undefined;
}

function propertyProblem(
  name: string,
  property: Record<string, unknown>,
  value: unknown,
): string | undefined {
  const declared = property['type'];
  const types = (Array.isArray(declared) ? declared : [declared]).filter(
    (t): t is string => typeof t === 'string' && Object.hasOwn(typeChecks, t),
  );
  if (types.length > 0 && !types.some((t) => typeChecks[t]?.(value))) {
    return `argument '${name}' must be ${types.map(withArticle).join(' or ')}`;
  }
  const allowed = property['enum'];
  if (Array.isArray(allowed) && !allowed.some((a) => a === value)) {
    return `argument '${name}' must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  }
  return undefined;
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
