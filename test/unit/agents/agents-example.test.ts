import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgentsFile } from '../../../src/agents/agents-file.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../../../docs/agents.example.yaml');

describe('docs/agents.example.yaml', () => {
  it('validates and routes as its comments say', () => {
    const set = loadAgentsFile(EXAMPLE, { DENTAL_API_TOKEN: 'token' });
    expect(set.agents.map((a) => a.id)).toEqual(['dental', 'switchboard']);
    expect(set.resolve('+15551230000')).toMatchObject({ matchedBy: 'exact', agent: { id: 'dental' } });
    expect(set.resolve('15551234567')).toMatchObject({ matchedBy: 'pattern', agent: { id: 'dental' } });
    expect(set.resolve('442071234567')).toMatchObject({ matchedBy: 'default', agent: { id: 'switchboard' } });
    const dental = set.get('dental')!;
    expect(dental.tools).toEqual(['end_call', 'transfer_call', 'forget_me', 'book_appointment']);
    expect(dental.webhooks[0]?.auth?.headerValue()).toBe('Bearer token');
    expect(dental.transferTargets['dr_smith']).toEqual({
      kind: 'endpoint',
      endpoint: 'PJSIP/101',
      timeoutSec: 25,
      description: "Dr Smith's phone, for emergencies only",
    });
    expect(set.get('switchboard')?.transferTargets['operator']).toEqual({
      kind: 'dialplan',
      context: 'staff',
      extension: '100',
      priority: 1,
      description: 'The human operator',
    });
  });

  it('names the webhook secret that is missing', () => {
    expect(() => loadAgentsFile(EXAMPLE, {})).toThrow(
      'agents[0].webhooks[0].auth.valueFromEnv: environment variable DENTAL_API_TOKEN is not set',
    );
  });
});
