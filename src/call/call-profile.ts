// What the model is told on one call: the agent's settings over the global ones, and instructions
// composed for this moment and this caller (business hours now, knowledge, transfer targets, and
// what is remembered about the caller), plus the tools the agent allows.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { composeInstructions } from '../agents/agent-instructions.ts';
import type { AgentVoiceSettings } from '../ai/realtime/realtime-session-config.ts';
import type { Config } from '../config/load-config.ts';
import type { CallerMemory } from '../store/call-store.ts';
import { toolDefinitionsFor } from '../tools/tool-definitions.ts';

export function voiceSettingsFor(
  agent: AgentDefinition,
  config: Config,
  call: { now: Date; callerNumber: string; memory: CallerMemory | null },
): AgentVoiceSettings {
  const targets = Object.entries(agent.transferTargets).map(([name, target]) => ({
    name,
    description: target.description ?? name,
  }));
  return {
    law: config.rtp.format,
    model: agent.model ?? config.openai.model,
    voice: agent.voice ?? config.openai.voice,
    instructions: composeInstructions(agent, {
      now: call.now,
      callerNumber: call.callerNumber,
      callerMemory: call.memory,
    }),
    inputTranscriptionModel: config.openai.inputTranscriptionModel,
    vad: config.openai.vad,
    tools: toolDefinitionsFor(agent.tools, targets, agent.webhooks),
  };
}
