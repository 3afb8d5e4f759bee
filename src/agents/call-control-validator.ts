// What an agent may do with the call itself: transfer targets (the allowlist the model chooses
// from) and DTMF keys that act without the model.

import {
  AGENT_DEFAULTS,
  DTMF_KEYS,
  type DtmfKey,
  type DtmfKeyAction,
  type DtmfSettings,
  type TransferTarget,
} from './agent-definition.ts';
import {
  isMapping,
  keyPath,
  mappingAt,
  optionalInteger,
  optionalString,
  type Problems,
  requiredString,
} from './agents-file-checks.ts';

const TARGET_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ENDPOINT = /^[A-Za-z0-9_-]+\/\S+$/;

export function validateTransferTargets(
  value: unknown,
  path: string,
  problems: Problems,
): Record<string, TransferTarget> {
  const targets: Record<string, TransferTarget> = {};
  if (value === undefined || value === null) return targets;
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping of target names to targets');
    return targets;
  }
  for (const [name, target] of Object.entries(value)) {
    const targetPath = keyPath(path, name);
    if (!TARGET_NAME.test(name)) {
      problems.add(targetPath, `"${name}" must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
    }
    const valid = validateTransferTarget(target, targetPath, problems);
    if (valid !== null) targets[name] = valid;
  }
  return targets;
}

function validateTransferTarget(value: unknown, path: string, problems: Problems): TransferTarget | null {
  const target = mappingAt(value, path, ['description', 'dialplan', 'endpoint', 'timeoutSec'], problems);
  if (target === null) return null;
  const before = problems.count;
  const description = optionalString(target, 'description', path, problems) ?? undefined;
  const hasDialplan = target['dialplan'] !== undefined;
  const hasEndpoint = target['endpoint'] !== undefined;
  if (hasDialplan === hasEndpoint) {
    problems.add(path, 'needs exactly one of dialplan or endpoint');
    return null;
  }
  if (hasDialplan) {
    if (target['timeoutSec'] !== undefined) {
      problems.add(keyPath(path, 'timeoutSec'), 'only applies to an endpoint target');
    }
    const dialplanPath = keyPath(path, 'dialplan');
    const dialplan = mappingAt(
      target['dialplan'],
      dialplanPath,
      ['context', 'extension', 'priority'],
      problems,
    );
    if (dialplan === null) return null;
    const context = requiredString(dialplan, 'context', dialplanPath, problems);
    const extension = requiredString(dialplan, 'extension', dialplanPath, problems);
    const priority = optionalInteger(dialplan, 'priority', dialplanPath, { min: 1, max: 99_999 }, problems);
    if (problems.count > before || context === null || extension === null) return null;
    return withDescription(
      { kind: 'dialplan', context, extension, priority: priority ?? AGENT_DEFAULTS.dialplanPriority },
      description,
    );
  }
  const endpoint = requiredString(target, 'endpoint', path, problems);
  if (endpoint !== null && !ENDPOINT.test(endpoint)) {
    problems.add(keyPath(path, 'endpoint'), `"${endpoint}" must look like TECH/resource, e.g. PJSIP/101`);
  }
  const timeoutSec = optionalInteger(target, 'timeoutSec', path, { min: 1, max: 600 }, problems);
  if (problems.count > before || endpoint === null) return null;
  return withDescription(
    { kind: 'endpoint', endpoint, timeoutSec: timeoutSec ?? AGENT_DEFAULTS.endpointTimeoutSec },
    description,
  );
}

function withDescription(target: TransferTarget, description: string | undefined): TransferTarget {
  return description === undefined ? target : { ...target, description };
}

export function validateDtmf(
  value: unknown,
  path: string,
  targetNames: readonly string[],
  problems: Problems,
): DtmfSettings {
  const settings = { interDigitTimeoutMs: AGENT_DEFAULTS.interDigitTimeoutMs, keys: {} };
  if (value === undefined || value === null) return settings;
  const dtmf = mappingAt(value, path, ['interDigitTimeoutMs', 'keys'], problems);
  if (dtmf === null) return settings;
  const timeout = optionalInteger(dtmf, 'interDigitTimeoutMs', path, { min: 100, max: 10_000 }, problems);
  const keys: Partial<Record<DtmfKey, DtmfKeyAction>> = {};
  const keysPath = keyPath(path, 'keys');
  const rawKeys = dtmf['keys'];
  if (rawKeys !== undefined && rawKeys !== null && !isMapping(rawKeys)) {
    problems.add(keysPath, 'must be a mapping of keys to actions');
  } else if (isMapping(rawKeys)) {
    for (const [key, action] of Object.entries(rawKeys)) {
      const actionPath = keyPath(keysPath, key);
      if (!(DTMF_KEYS as readonly string[]).includes(key)) {
        problems.add(actionPath, `"${key}" is not a DTMF key (0-9, *, #, A-D)`);
        continue;
      }
      const valid = validateKeyAction(action, actionPath, targetNames, problems);
      if (valid !== null) keys[key as DtmfKey] = valid;
    }
  }
  return { interDigitTimeoutMs: timeout ?? AGENT_DEFAULTS.interDigitTimeoutMs, keys };
}

function validateKeyAction(
  value: unknown,
  path: string,
  targetNames: readonly string[],
  problems: Problems,
): DtmfKeyAction | null {
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping with an action');
    return null;
  }
  const action = value['action'];
  if (action === 'end_call') {
    mappingAt(value, path, ['action'], problems);
    return { action: 'end_call' };
  }
  if (action !== 'transfer') {
    problems.add(
      keyPath(path, 'action'),
      action === undefined ? 'is required' : 'must be transfer or end_call',
    );
    return null;
  }
  mappingAt(value, path, ['action', 'target'], problems);
  const target = requiredString(value, 'target', path, problems);
  if (target === null) return null;
  if (!targetNames.includes(target)) {
    const known = targetNames.length === 0 ? 'there are none' : targetNames.join(', ');
    problems.add(keyPath(path, 'target'), `unknown transfer target "${target}" (transferTargets: ${known})`);
    return null;
  }
  return { action: 'transfer', target };
}
