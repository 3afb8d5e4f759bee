// The instructions one call's model gets: the agent's own text, then short sections built from the
// agent file and the caller — language, business hours now, knowledge, transfer targets, and what
// we remember of the caller. Only `now` varies the text, so tests can pin it.

import type { AgentDefinition, KnowledgeItem } from './agent-definition.ts';
import { businessHoursSentence } from './business-hours.ts';
import { localTimeText } from './zoned-time.ts';

export interface CallerMemory {
  /** Earlier calls from this caller (this call not counted). */
  readonly callCount: number;
  /** A Date or an ISO 8601 text (as the call store keeps it). */
  readonly lastCallAt: Date | string;
  /** Summary of the earlier calls; may be empty. */
  readonly summary: string;
}

export interface InstructionContext {
  readonly now: Date;
  /** null or undefined: nothing remembered (or not looked up). */
  readonly callerMemory?: CallerMemory | null;
  /** null or empty: the number is withheld. */
  readonly callerNumber: string | null;
}

export function composeInstructions(agent: AgentDefinition, context: InstructionContext): string {
  const sections = [agent.instructions.trim()];
  if (agent.language !== null) sections.push(`## Language\nSpeak ${agent.language}.`);
  if (agent.businessHours !== null) {
    sections.push(`## Business hours\n${businessHoursSentence(agent.businessHours, context.now)}`);
  }
  if (agent.knowledge.length > 0) {
    sections.push(`## Knowledge\n${agent.knowledge.map(knowledgeLine).join('\n')}`);
  }
  const targets = Object.entries(agent.transferTargets);
  if (agent.tools.includes('transfer_call') && targets.length > 0) {
    const lines = targets.map(([name, target]) =>
      target.description === undefined ? `- ${name}` : `- ${name}: ${target.description}`,
    );
    sections.push(
      `## Transfers\nYou may transfer the call (transfer_call) only to these targets:\n${lines.join('\n')}`,
    );
  }
  sections.push(`## Caller\n${callerText(agent, context)}`);
  return sections.join('\n\n');
}

function knowledgeLine(item: KnowledgeItem): string {
  return item.kind === 'faq'
    ? `- Q: ${item.question.trim()} A: ${item.answer.trim()}`
    : `- ${item.text.trim()}`;
}

function callerText(agent: AgentDefinition, context: InstructionContext): string {
  const number = context.callerNumber?.trim();
  const lines = [number ? `The caller's number is ${number}.` : "The caller's number is withheld."];
  const memory = context.callerMemory;
  if (agent.memory.enabled && memory && memory.callCount > 0) {
    const timezone = agent.businessHours?.timezone ?? 'UTC';
    const times = memory.callCount === 1 ? 'once' : `${memory.callCount} times`;
    const lastMs = new Date(memory.lastCallAt).getTime();
    const last = Number.isNaN(lastMs) ? '' : `, last on ${localTimeText(timezone, lastMs)} (${timezone})`;
    const summary = memory.summary.trim();
    lines.push(
      `This caller has called ${times} before${last}.` +
        (summary ? ` Summary of earlier calls: ${summary}` : '') +
        (summary && !/[.!?]$/.test(summary) ? '.' : ''),
      'If you know their name from earlier calls, welcome them back by name.',
    );
  }
  return lines.join('\n');
}
