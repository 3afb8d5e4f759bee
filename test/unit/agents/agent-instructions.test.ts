import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../src/agents/agent-definition.ts';
import { composeInstructions } from '../../../src/agents/agent-instructions.ts';
import { loadAgentsFile } from '../../../src/agents/agents-file.ts';
import { agent, agentsYaml, writeAgentsFile } from './agents-test-files.ts';

function definition(fields: Record<string, unknown>): AgentDefinition {
  const file = writeAgentsFile(agentsYaml([agent('main', { default: true, ...fields })]));
  return loadAgentsFile(file, {}).defaultAgent;
}

const now = new Date('2026-03-10T14:42:00Z');

describe('composeInstructions', () => {
  it('gives a bare agent its instructions and the caller’s number only', () => {
    const bare = definition({ instructions: 'You are the receptionist.\n' });
    expect(composeInstructions(bare, { now, callerNumber: '+15550001111' })).toBe(
      "You are the receptionist.\n\n## Caller\nThe caller's number is +15550001111.",
    );
    expect(composeInstructions(bare, { now, callerNumber: null, callerMemory: null })).toBe(
      "You are the receptionist.\n\n## Caller\nThe caller's number is withheld.",
    );
  });

  it('adds language, business hours, knowledge and transfer targets in that order', () => {
    const full = definition({
      instructions: 'You are the receptionist of Harbour Dental.',
      language: 'en-US',
      businessHours: { timezone: 'America/New_York', weekly: { tue: ['09:00-12:30', '13:30-17:00'] } },
      knowledge: [{ question: 'Do you take walk-ins?', answer: 'Only for emergencies.' }, 'Parking is free.'],
      transferTargets: {
        front_desk: { description: 'Human receptionist', dialplan: { context: 'staff', extension: '200' } },
        dr_smith: { endpoint: 'PJSIP/101' },
      },
    });
    expect(composeInstructions(full, { now, callerNumber: '+15550001111' })).toBe(
      [
        'You are the receptionist of Harbour Dental.',
        '## Language\nSpeak en-US.',
        '## Business hours\nIt is Tuesday 2026-03-10 10:42 in America/New_York; the office is open now (today 09:00–12:30, 13:30–17:00).',
        '## Knowledge\n- Q: Do you take walk-ins? A: Only for emergencies.\n- Parking is free.',
        '## Transfers\nYou may transfer the call (transfer_call) only to these targets:\n- front_desk: Human receptionist\n- dr_smith',
        "## Caller\nThe caller's number is +15550001111.",
      ].join('\n\n'),
    );
  });

  it('leaves transfer targets out when the agent may not transfer', () => {
    const noTransfer = definition({
      tools: ['end_call'],
      transferTargets: { desk: { endpoint: 'PJSIP/1' } },
    });
    expect(composeInstructions(noTransfer, { now, callerNumber: '1' })).not.toContain('## Transfers');
  });

  it('tells what is remembered of the caller, dated in the agent’s time zone', () => {
    const remembering = definition({
      businessHours: { timezone: 'Europe/Paris', weekly: {} },
    });
    const text = composeInstructions(remembering, {
      now,
      callerNumber: '+33612345678',
      callerMemory: {
        callCount: 3,
        lastCallAt: new Date('2026-03-09T21:05:00Z'),
        summary: 'Anna asked about a crown',
      },
    });
    expect(text.split('## Caller\n')[1]).toBe(
      "The caller's number is +33612345678.\n" +
        'This caller has called 3 times before, last on Monday 2026-03-09 22:05 (Europe/Paris). Summary of earlier calls: Anna asked about a crown.\n' +
        'If you know their name from earlier calls, welcome them back by name.',
    );
  });

  it('reads the last call from ISO text, defaults to UTC, and says "once"', () => {
    const text = composeInstructions(definition({}), {
      now,
      callerNumber: '+15550001111',
      callerMemory: { callCount: 1, lastCallAt: '2026-03-09T21:05:00Z', summary: '' },
    });
    expect(text).toContain('This caller has called once before, last on Monday 2026-03-09 21:05 (UTC).\n');
    expect(text).not.toContain('Summary');
  });

  it('ignores the memory when the agent does not remember callers', () => {
    const forgetful = definition({ memory: { enabled: false } });
    const text = composeInstructions(forgetful, {
      now,
      callerNumber: '+15550001111',
      callerMemory: { callCount: 2, lastCallAt: now, summary: 'Asked for prices.' },
    });
    expect(text).not.toContain('called');
    expect(text).not.toContain('Asked for prices');
  });
});
