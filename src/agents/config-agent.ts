// The agent callbridge uses when no agents file is configured: one default agent made from the
// global settings (instructions, greeting), allowed to end calls itself.
import type { Config } from '../config/load-config.ts';
import { AGENT_DEFAULTS, type AgentDefinition } from './agent-definition.ts';

export function agentFromConfig(config: Config): AgentDefinition {
  return Object.freeze({
    id: 'default',
    name: 'callbridge',
    numbers: [],
    default: true,
    model: null,
    voice: null,
    language: null,
    instructions: config.openai.instructions,
    greeting: config.greeting.enabled ? config.greeting.instructions : null,
    businessHours: null,
    knowledge: [],
    tools: ['end_call'],
    webhooks: [],
    transferTargets: {},
    maxCallDurationSec: null,
    durationWarningSec: AGENT_DEFAULTS.durationWarningSec,
    idleTimeoutSec: null,
    dtmf: { interDigitTimeoutMs: AGENT_DEFAULTS.interDigitTimeoutMs, keys: {} },
    memory: { enabled: AGENT_DEFAULTS.memoryEnabled },
  });
}
