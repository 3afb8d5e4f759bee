import { describe, expect, it } from 'vitest';
import { loadAgentsFile } from '../../../src/agents/agents-file.ts';
import type { AgentSet } from '../../../src/agents/did-router.ts';
import { agent, agentsYaml, writeAgentsFile } from './agents-test-files.ts';

function agentSet(agents: Record<string, unknown>[]): AgentSet {
  return loadAgentsFile(writeAgentsFile(agentsYaml(agents)), {});
}

function routeOf(set: AgentSet, dialled: string): string {
  const { agent: chosen, matchedBy, matched } = set.resolve(dialled);
  return `${chosen.id} ${matchedBy} ${matched ?? '-'}`;
}

describe('AgentSet.resolve', () => {
  const set = agentSet([
    agent('main', { default: true }),
    agent('dental', { numbers: ['+15551230000', '_1555123XXXX'] }),
    agent('spa', { numbers: ['_155512XXXXX', '15551234567'] }),
    agent('intl', { numbers: ['_+.'] }),
    agent('short', { numbers: ['_X123', '_2N!'] }),
    agent('longdistance', { numbers: ['_1XXX'] }),
  ]);

  it('answers an exact number with its agent', () => {
    expect(routeOf(set, '+15551230000')).toBe('dental exact +15551230000');
  });

  it('prefers an exact number over a pattern that also matches', () => {
    // 15551234567 also matches dental's _1555123XXXX.
    expect(routeOf(set, '15551234567')).toBe('spa exact 15551234567');
  });

  it('picks the most specific pattern', () => {
    expect(routeOf(set, '15551239999')).toBe('dental pattern _1555123XXXX');
    expect(routeOf(set, '15551249999')).toBe('spa pattern _155512XXXXX');
  });

  it('decides by the leftmost differing position, as Asterisk does', () => {
    // 1123 matches _X123 and _1XXX; the literal 1 at the first position wins.
    expect(routeOf(set, '1123')).toBe('longdistance pattern _1XXX');
    expect(routeOf(set, '9123')).toBe('short pattern _X123');
  });

  it('treats "+" as a literal character', () => {
    expect(routeOf(set, '+442071234567')).toBe('intl pattern _+.');
    expect(routeOf(set, '+15551230000')).toBe('dental exact +15551230000');
    expect(routeOf(set, '+15551239999')).toBe('intl pattern _+.');
  });

  it('matches "!" with nothing after the prefix', () => {
    expect(routeOf(set, '22')).toBe('short pattern _2N!');
    expect(routeOf(set, '2')).toBe('main default -');
  });

  it('falls back to the default agent when nothing matches', () => {
    expect(routeOf(set, '999')).toBe('main default -');
    expect(routeOf(set, '')).toBe('main default -');
    expect(routeOf(set, 's')).toBe('main default -');
  });

  it('trims whitespace and normalises nothing else', () => {
    expect(routeOf(set, '  +15551230000\n')).toBe('dental exact +15551230000');
    expect(routeOf(set, '1 555 123 0000')).toBe('main default -');
    expect(routeOf(set, '0015551230000')).toBe('main default -');
  });

  it('lets the default agent also claim numbers', () => {
    const withNumbers = agentSet([
      agent('main', { default: true, numbers: ['100'] }),
      agent('b', { numbers: ['_1XX'] }),
    ]);
    expect(routeOf(withNumbers, '100')).toBe('main exact 100');
    expect(routeOf(withNumbers, '101')).toBe('b pattern _1XX');
  });

  it('hands out frozen definitions', () => {
    const { agent: chosen } = set.resolve('+15551230000');
    expect(Object.isFrozen(chosen)).toBe(true);
    expect(Object.isFrozen(chosen.numbers)).toBe(true);
    expect(set.stats).toEqual({ agents: 6, exactNumbers: 2, patterns: 6, defaultAgent: 'main' });
  });
});
