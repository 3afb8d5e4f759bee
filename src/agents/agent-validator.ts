// One entry of `agents:` → an AgentDefinition with defaults filled in, or null with every problem
// recorded. Names another part refers to (webhooks from tools, transfer targets from DTMF keys) are
// checked against what the file declares, so one bad webhook is reported once, not again per use.

import {
  AGENT_DEFAULTS,
  type AgentDefinition,
  BUILT_IN_TOOLS,
  isBuiltInTool,
  type KnowledgeItem,
} from './agent-definition.ts';
import {
  indexPath,
  isMapping,
  keyPath,
  listAt,
  type Mapping,
  mappingAt,
  optionalBoolean,
  optionalInteger,
  optionalString,
  type Problems,
  requiredString,
  stringValue,
} from './agents-file-checks.ts';
import { validateBusinessHours } from './business-hours-validator.ts';
import { validateDtmf, validateTransferTargets } from './call-control-validator.ts';
import { isPatternSource, parseDialplanPattern } from './dialplan-pattern.ts';
import { validateWebhooks } from './webhook-validator.ts';

const AGENT_KEYS = [
  'id',
  'name',
  'numbers',
  'default',
  'model',
  'voice',
  'language',
  'instructions',
  'greeting',
  'businessHours',
  'knowledge',
  'tools',
  'webhooks',
  'transferTargets',
  'maxCallDurationSec',
  'durationWarningSec',
  'idleTimeoutSec',
  'dtmf',
  'memory',
] as const;

const AGENT_ID = /^[a-z0-9_-]{1,40}$/;

export function validateAgent(
  value: unknown,
  path: string,
  env: NodeJS.ProcessEnv,
  problems: Problems,
): AgentDefinition | null {
  const agent = mappingAt(value, path, AGENT_KEYS, problems);
  if (agent === null) return null;
  const before = problems.count;

  const id = requiredString(agent, 'id', path, problems);
  if (id !== null && !AGENT_ID.test(id)) {
    problems.add(keyPath(path, 'id'), `"${id}" must be 1-40 characters of a-z, 0-9, _ and -`);
  }
  const name = requiredString(agent, 'name', path, problems);
  const numbers = validateNumbers(agent['numbers'], keyPath(path, 'numbers'), problems);
  const isDefault = optionalBoolean(agent, 'default', path, problems) ?? AGENT_DEFAULTS.default;
  const model = optionalString(agent, 'model', path, problems) ?? null;
  const voice = optionalString(agent, 'voice', path, problems) ?? null;
  const language = validateLanguage(agent, path, problems);
  const instructions = requiredString(agent, 'instructions', path, problems);
  const greeting = optionalString(agent, 'greeting', path, problems) ?? null;
  const businessHours =
    agent['businessHours'] === undefined
      ? null
      : validateBusinessHours(agent['businessHours'], keyPath(path, 'businessHours'), problems);
  const knowledge = validateKnowledge(agent['knowledge'], keyPath(path, 'knowledge'), problems);
  const webhooks = validateWebhooks(agent['webhooks'], keyPath(path, 'webhooks'), env, problems);
  const transferTargets = validateTransferTargets(
    agent['transferTargets'],
    keyPath(path, 'transferTargets'),
    problems,
  );
  const targetNames = isMapping(agent['transferTargets']) ? Object.keys(agent['transferTargets']) : [];
  const memoryEnabled = validateMemory(agent['memory'], keyPath(path, 'memory'), problems);
  const tools = validateTools(
    agent,
    path,
    {
      webhookNames: declaredWebhookNames(agent['webhooks']),
      hasTargets: targetNames.length > 0,
      memoryEnabled,
    },
    problems,
  );
  const durations = validateDurations(agent, path, problems);
  const dtmf = validateDtmf(agent['dtmf'], keyPath(path, 'dtmf'), targetNames, problems);

  if (problems.count > before || id === null || name === null || instructions === null) return null;
  return {
    id,
    name,
    numbers,
    default: isDefault,
    model,
    voice,
    language,
    instructions,
    greeting,
    businessHours,
    knowledge,
    tools,
    webhooks,
    transferTargets,
    ...durations,
    dtmf,
    memory: { enabled: memoryEnabled },
  };
}

function validateNumbers(value: unknown, path: string, problems: Problems): string[] {
  if (value === undefined || value === null) return [];
  const list = listAt(value, path, problems);
  if (list === null) return [];
  const numbers: string[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    const number = stringValue(item, itemPath, problems);
    if (number === null) return;
    if (/\s/.test(number)) {
      problems.add(itemPath, `"${number}" must not contain spaces`);
      return;
    }
    if (isPatternSource(number)) {
      const parsed = parseDialplanPattern(number);
      if (!parsed.ok) {
        problems.add(itemPath, `invalid pattern "${number}": ${parsed.reason}`);
        return;
      }
    }
    const first = firstIndexOf.get(number);
    if (first !== undefined) {
      problems.add(itemPath, `duplicate of ${indexPath('numbers', first)}`);
      return;
    }
    firstIndexOf.set(number, index);
    numbers.push(number);
  });
  return numbers;
}

function validateLanguage(agent: Mapping, path: string, problems: Problems): string | null {
  const language = optionalString(agent, 'language', path, problems);
  if (language === undefined || language === null) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(language);
    if (canonical !== undefined) return canonical;
  } catch {
    // reported below
  }
  problems.add(keyPath(path, 'language'), `"${language}" is not a BCP 47 language tag (e.g. en-US)`);
  return null;
}

function validateKnowledge(value: unknown, path: string, problems: Problems): KnowledgeItem[] {
  if (value === undefined || value === null) return [];
  const list = listAt(value, path, problems);
  if (list === null) return [];
  const items: KnowledgeItem[] = [];
  list.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    if (typeof item === 'string') {
      const text = stringValue(item, itemPath, problems);
      if (text !== null) items.push({ kind: 'note', text });
      return;
    }
    if (!isMapping(item)) {
      problems.add(itemPath, 'must be a text or a mapping with question and answer');
      return;
    }
    const faq = mappingAt(item, itemPath, ['question', 'answer'], problems);
    if (faq === null) return;
    const question = requiredString(faq, 'question', itemPath, problems);
    const answer = requiredString(faq, 'answer', itemPath, problems);
    if (question !== null && answer !== null) items.push({ kind: 'faq', question, answer });
  });
  return items;
}

function declaredWebhookNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((webhook) =>
    isMapping(webhook) && typeof webhook['name'] === 'string' ? [webhook['name']] : [],
  );
}

/**
 * `tools` as written, every name existing; when omitted: end_call, transfer_call when there are
 * transfer targets, forget_me when memory is on, and every webhook of the agent.
 */
function validateTools(
  agent: Mapping,
  path: string,
  known: { webhookNames: readonly string[]; hasTargets: boolean; memoryEnabled: boolean },
  problems: Problems,
): string[] {
  const value = agent['tools'];
  if (value === undefined || value === null) {
    return [
      'end_call',
      ...(known.hasTargets ? ['transfer_call'] : []),
      ...(known.memoryEnabled ? ['forget_me'] : []),
      ...known.webhookNames.filter((name) => !isBuiltInTool(name)),
    ];
  }
  const toolsPath = keyPath(path, 'tools');
  const list = listAt(value, toolsPath, problems);
  if (list === null) return [];
  const tools: string[] = [];
  list.forEach((item, index) => {
    const itemPath = indexPath(toolsPath, index);
    const name = stringValue(item, itemPath, problems);
    if (name === null) return;
    if (!isBuiltInTool(name) && !known.webhookNames.includes(name)) {
      const webhooks = known.webhookNames.length === 0 ? 'none' : known.webhookNames.join(', ');
      problems.add(
        itemPath,
        `unknown tool "${name}" (built-in: ${BUILT_IN_TOOLS.join(', ')}; webhooks of this agent: ${webhooks})`,
      );
    } else if (tools.includes(name)) {
      problems.add(itemPath, `duplicate tool "${name}"`);
    } else if (name === 'transfer_call' && !known.hasTargets) {
      problems.add(itemPath, 'transfer_call needs at least one entry in transferTargets');
    } else {
      tools.push(name);
    }
  });
  return tools;
}

function validateMemory(value: unknown, path: string, problems: Problems): boolean {
  if (value === undefined || value === null) return AGENT_DEFAULTS.memoryEnabled;
  const memory = mappingAt(value, path, ['enabled'], problems);
  if (memory === null) return AGENT_DEFAULTS.memoryEnabled;
  return optionalBoolean(memory, 'enabled', path, problems) ?? AGENT_DEFAULTS.memoryEnabled;
}

function validateDurations(
  agent: Mapping,
  path: string,
  problems: Problems,
): Pick<AgentDefinition, 'maxCallDurationSec' | 'durationWarningSec' | 'idleTimeoutSec'> {
  const max = optionalInteger(agent, 'maxCallDurationSec', path, { min: 1, max: 86_400 }, problems);
  const warning = optionalInteger(agent, 'durationWarningSec', path, { min: 1, max: 3600 }, problems);
  const idle = optionalInteger(agent, 'idleTimeoutSec', path, { min: 1, max: 3600 }, problems);
  const warningSec = warning ?? AGENT_DEFAULTS.durationWarningSec;
  if (max === undefined && warning !== undefined && warning !== null) {
    problems.add(keyPath(path, 'durationWarningSec'), 'needs maxCallDurationSec');
  } else if (typeof max === 'number' && warning !== null && max <= warningSec) {
    problems.add(
      keyPath(path, 'maxCallDurationSec'),
      `must be more than durationWarningSec (${warningSec}${warning === undefined ? ', the default' : ''})`,
    );
  }
  return { maxCallDurationSec: max ?? null, durationWarningSec: warningSec, idleTimeoutSec: idle ?? null };
}
