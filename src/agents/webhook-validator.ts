// webhooks of one agent: HTTP tools the model may call. Names are unique within the agent and never
// a built-in tool's; the auth secret comes from an environment variable that must be set at load.

import {
  AGENT_DEFAULTS,
  BUILT_IN_TOOLS,
  isBuiltInTool,
  type JsonObjectSchema,
  type WebhookAuth,
  type WebhookToolDefinition,
} from './agent-definition.ts';
import {
  indexPath,
  isMapping,
  keyPath,
  listAt,
  mappingAt,
  optionalInteger,
  type Problems,
  requiredString,
} from './agents-file-checks.ts';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateWebhooks(
  value: unknown,
  path: string,
  env: NodeJS.ProcessEnv,
  problems: Problems,
): WebhookToolDefinition[] {
  if (value === undefined || value === null) return [];
  const list = listAt(value, path, problems);
  if (list === null) return [];
  const webhooks: WebhookToolDefinition[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    const webhook = validateWebhook(item, itemPath, env, problems);
    const name = isMapping(item) && typeof item['name'] === 'string' ? item['name'] : null;
    if (name !== null) {
      const first = firstIndexOf.get(name);
      if (first !== undefined) {
        problems.add(
          keyPath(itemPath, 'name'),
          `duplicate webhook name "${name}" (also ${indexPath(path, first)})`,
        );
      } else firstIndexOf.set(name, index);
    }
    if (webhook !== null) webhooks.push(webhook);
  });
  return webhooks;
}

function validateWebhook(
  value: unknown,
  path: string,
  env: NodeJS.ProcessEnv,
  problems: Problems,
): WebhookToolDefinition | null {
  const webhook = mappingAt(
    value,
    path,
    ['name', 'description', 'url', 'timeoutMs', 'auth', 'parameters'],
    problems,
  );
  if (webhook === null) return null;
  const before = problems.count;

  const name = requiredString(webhook, 'name', path, problems);
  if (name !== null && !TOOL_NAME.test(name)) {
    problems.add(keyPath(path, 'name'), `"${name}" must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
  } else if (name !== null && isBuiltInTool(name)) {
    problems.add(keyPath(path, 'name'), `"${name}" is a built-in tool (${BUILT_IN_TOOLS.join(', ')})`);
  }
  const description = requiredString(webhook, 'description', path, problems);
  const url = requiredString(webhook, 'url', path, problems);
  if (url !== null && !isHttpUrl(url)) problems.add(keyPath(path, 'url'), `"${url}" is not an http(s) URL`);
  const timeoutMs = optionalInteger(
    webhook,
    'timeoutMs',
    path,
    { min: 1, max: AGENT_DEFAULTS.webhookMaxTimeoutMs },
    problems,
  );
  const auth =
    webhook['auth'] === undefined
      ? null
      : validateAuth(webhook['auth'], keyPath(path, 'auth'), env, problems);
  const parameters = validateParameters(webhook['parameters'], keyPath(path, 'parameters'), problems);

  if (problems.count > before || name === null || description === null || url === null) return null;
  return {
    name,
    description,
    url,
    timeoutMs: timeoutMs ?? AGENT_DEFAULTS.webhookTimeoutMs,
    auth,
    parameters: parameters ?? { type: 'object', properties: {} },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function validateAuth(
  value: unknown,
  path: string,
  env: NodeJS.ProcessEnv,
  problems: Problems,
): WebhookAuth | null {
  const auth = mappingAt(value, path, ['header', 'valueFromEnv', 'prefix'], problems);
  if (auth === null) return null;
  const header = requiredString(auth, 'header', path, problems);
  if (header !== null && !HEADER_NAME.test(header)) {
    problems.add(keyPath(path, 'header'), `"${header}" is not an HTTP header name`);
  }
  const variable = requiredString(auth, 'valueFromEnv', path, problems);
  let secret: string | undefined;
  if (variable !== null && !ENV_NAME.test(variable)) {
    problems.add(keyPath(path, 'valueFromEnv'), `"${variable}" is not an environment variable name`);
  } else if (variable !== null) {
    secret = env[variable];
    if (secret === undefined) {
      problems.add(keyPath(path, 'valueFromEnv'), `environment variable ${variable} is not set`);
    } else if (secret === '') {
      problems.add(keyPath(path, 'valueFromEnv'), `environment variable ${variable} is empty`);
    }
  }
  const prefixValue = auth['prefix'];
  let prefix = '';
  if (prefixValue !== undefined && typeof prefixValue !== 'string') {
    problems.add(keyPath(path, 'prefix'), 'must be a string');
  } else if (typeof prefixValue === 'string') prefix = prefixValue;
  if (header === null || variable === null || !secret) return null;
  const headerValue = `${prefix}${secret}`;
  return { header, valueFromEnv: variable, prefix, headerValue: () => headerValue };
}

function validateParameters(value: unknown, path: string, problems: Problems): JsonObjectSchema | null {
  if (value === undefined) return null;
  if (!isMapping(value)) {
    problems.add(path, 'must be a JSON Schema object');
    return null;
  }
  const before = problems.count;
  if (value['type'] !== 'object') problems.add(keyPath(path, 'type'), 'must be "object"');
  const properties = value['properties'];
  if (!isMapping(properties)) {
    problems.add(keyPath(path, 'properties'), 'must be a mapping of parameter names to schemas');
  } else {
    for (const [name, schema] of Object.entries(properties)) {
      if (!isMapping(schema))
        problems.add(keyPath(keyPath(path, 'properties'), name), 'must be a schema (a mapping)');
    }
  }
  const required = value['required'];
  if (required !== undefined) {
    const list = listAt(required, keyPath(path, 'required'), problems);
    list?.forEach((item, index) => {
      const itemPath = indexPath(keyPath(path, 'required'), index);
      if (typeof item !== 'string') problems.add(itemPath, 'must be a string');
      else if (isMapping(properties) && !Object.hasOwn(properties, item)) {
        problems.add(itemPath, `"${item}" is not one of the properties`);
      }
    });
  }
  if (problems.count > before) return null;
  return value as unknown as JsonObjectSchema;
}
