// Loads, validates and freezes the configuration once at start-up. Any problem becomes a
// ConfigError that names each key and the reason, and never shows a sensitive value.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import convict from 'convict';
import { type AppConfig, configSchema } from './config-schema.ts';

export interface ConfigProblem {
  key: string;
  reason: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.key}: ${p.reason}`).join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  /** Defaults shipped with the package; config/default.json beside src/. */
  defaultsFile?: string;
}

export const DEFAULTS_FILE = path.resolve(import.meta.dirname, '../../config/default.json');

export type Config = DeepReadonly<AppConfig>;
type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const config = convict<AppConfig>(configSchema, { env, args: [] });

  for (const file of [options.defaultsFile ?? DEFAULTS_FILE, configFileFrom(argv, env)]) {
    if (file === undefined) continue;
    if (!existsSync(file)) throw new ConfigError([{ key: 'config file', reason: `${file} does not exist` }]);
    try {
      config.loadFile(file);
    } catch (error) {
      throw new ConfigError([
        { key: 'config file', reason: `${file} is not valid JSON (${errorText(error)})` },
      ]);
    }
  }

  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw new ConfigError(parseConvictProblems(errorText(error)));
  }
  const values = config.getProperties();
  const problems = crossFieldProblems(values);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(values);
}

/** The configuration as text with sensitive values masked, for the start-up log. */
export function describeConfig(values: Config): Record<string, unknown> {
  const masked = structuredClone(values) as AppConfig;
  masked.ari.password = masked.ari.password ? '[set]' : '[empty]';
  masked.openai.apiKey = masked.openai.apiKey ? '[set]' : '[empty]';
  return masked as unknown as Record<string, unknown>;
}

/** The operator's config file, from --config or CONFIG_FILE, if any. */
export function configFileFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const flag = argv.findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  if (flag >= 0) {
    const arg = argv[flag] ?? '';
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[flag + 1];
    if (!value) throw new ConfigError([{ key: '--config', reason: 'needs a file path' }]);
    return path.resolve(value);
  }
  return env['CONFIG_FILE'] ? path.resolve(env['CONFIG_FILE']) : undefined;
}

// convict reports one problem per line: "key: reason: value was ..." or "configuration param 'x' not declared in the schema".
function parseConvictProblems(message: string): ConfigProblem[] {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const undeclared = /^configuration param '([^']+)' not declared in the schema$/.exec(line);
      if (undeclared) return { key: undeclared[1] ?? line, reason: 'is not a known setting' };
      const colon = line.indexOf(':');
      if (colon < 0) return { key: 'config', reason: line };
      return { key: line.slice(0, colon), reason: line.slice(colon + 1).trim() };
    });
}

function crossFieldProblems(values: AppConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (values.rtp.portMin > values.rtp.portMax) {
    problems.push({ key: 'rtp.portMin', reason: `must not exceed rtp.portMax (${values.rtp.portMax})` });
  }
  if (values.ari.reconnectMinDelayMs > values.ari.reconnectMaxDelayMs) {
    problems.push({ key: 'ari.reconnectMinDelayMs', reason: 'must not exceed ari.reconnectMaxDelayMs' });
  }
  if (
    values.failure.action === 'continue' &&
    values.failure.extension !== '' &&
    values.failure.context === ''
  ) {
    problems.push({ key: 'failure.context', reason: 'must be set when failure.extension is set' });
  }
  return problems;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A warning when the config file (which may hold secrets) can be read by other users. */
export function configFileExposure(file: string | undefined): string | null {
  if (file === undefined) return null;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o044) === 0) return null;
  return `config file ${file} is readable by other users (mode ${mode.toString(8)}); it may hold secrets: chmod 600 it`;
}
