// Errors shaped like the real server's answers to bad client parameters.

export interface RealtimeParamError {
  code: string;
  message: string;
  param: string | null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function missingParameter(param: string): RealtimeParamError {
  return { code: 'missing_required_parameter', message: `Missing required parameter: '${param}'.`, param };
}

export function unknownParameter(param: string): RealtimeParamError {
  return { code: 'unknown_parameter', message: `Unknown parameter: '${param}'.`, param };
}

export function invalidValue(
  param: string,
  value: unknown,
  supported: readonly string[],
): RealtimeParamError {
  const quoted = supported.map((s) => `'${s}'`);
  const list =
    quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}` : (quoted[0] ?? '');
  return {
    code: 'invalid_value',
    message: `Invalid value: '${String(value)}'. Supported values are: ${list}.`,
    param,
  };
}

export function invalidType(param: string, expected: string, value: unknown): RealtimeParamError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return {
    code: 'invalid_type',
    message: `Invalid type for '${param}': expected ${expected}, but got ${got} instead.`,
    param,
  };
}

export function numberRange(
  param: string,
  value: number,
  min: number,
  max: number,
  kind: 'decimal' | 'integer',
): RealtimeParamError | undefined {
  if (value < min) {
    return {
      code: `${kind}_below_min_value`,
      message: `Invalid '${param}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      param,
    };
  }
  if (value > max) {
    return {
      code: `${kind}_above_max_value`,
      message: `Invalid '${param}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      param,
    };
  }
  return undefined;
}
