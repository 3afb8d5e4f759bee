import { describe, expect, it } from 'vitest';
import {
  compareSpecificity,
  type DialplanPattern,
  matchesPattern,
  parseDialplanPattern,
} from '../../../src/agents/dialplan-pattern.ts';

function pattern(source: string): DialplanPattern {
  const parsed = parseDialplanPattern(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.reason}`);
  return parsed.pattern;
}

function matches(source: string, dialled: string): boolean {
  return matchesPattern(pattern(source), dialled);
}

function reasonFor(source: string): string {
  const parsed = parseDialplanPattern(source);
  if (parsed.ok) throw new Error(`${source} parsed`);
  return parsed.reason;
}

describe('dialplan patterns', () => {
  it('X matches any digit, Z 1-9 and N 2-9, each exactly one character', () => {
    expect(matches('_1X', '10')).toBe(true);
    expect(matches('_1X', '19')).toBe(true);
    expect(matches('_1X', '1a')).toBe(false);
    expect(matches('_1X', '1')).toBe(false);
    expect(matches('_1X', '123')).toBe(false);
    expect(matches('_Z', '0')).toBe(false);
    expect(matches('_Z', '1')).toBe(true);
    expect(matches('_N', '1')).toBe(false);
    expect(matches('_N', '2')).toBe(true);
    expect(matches('_N', '9')).toBe(true);
  });

  it('reads x, z and n like their capitals, as Asterisk does', () => {
    expect(matches('_1xzn', '1012')).toBe(true);
    expect(matches('_1xzn', '1001')).toBe(false);
  });

  it('matches sets with single characters and ranges', () => {
    expect(matches('_[1-4a]9', '39')).toBe(true);
    expect(matches('_[1-4a]9', 'a9')).toBe(true);
    expect(matches('_[1-4a]9', '59')).toBe(false);
    expect(matches('_[1-4a]9', 'b9')).toBe(false);
    expect(matches('_[13]', '2')).toBe(false);
  });

  it('"." needs one or more further characters, "!" zero or more', () => {
    expect(matches('_91.', '91')).toBe(false);
    expect(matches('_91.', '912')).toBe(true);
    expect(matches('_91.', '91234567')).toBe(true);
    expect(matches('_91!', '91')).toBe(true);
    expect(matches('_91!', '915')).toBe(true);
    expect(matches('_91!', '9')).toBe(false);
  });

  it('treats "+" and other characters as literals', () => {
    expect(matches('_+1555XXX', '+1555123')).toBe(true);
    expect(matches('_+1555XXX', '1555123')).toBe(false);
    expect(matches('_*7X', '*71')).toBe(true);
  });

  it('rejects invalid patterns with the reason', () => {
    expect(reasonFor('_1X[')).toBe('unclosed "["');
    expect(reasonFor('_')).toBe('empty pattern');
    expect(reasonFor('_1]')).toBe('"]" without "["');
    expect(reasonFor('_1[]')).toBe('empty "[]"');
    expect(reasonFor('_1[5-1]')).toBe('reversed range "5-1"');
    expect(reasonFor('_1[-1]')).toBe('"-" must join two characters in "[-1]"');
    expect(reasonFor('_1[1-]')).toBe('"-" must join two characters in "[1-]"');
    expect(reasonFor('_1[1[2]')).toBe('"[" inside "[...]"');
    expect(reasonFor('_1.X')).toBe('"." must be the last character');
    expect(reasonFor('_1!X')).toBe('"!" must be the last character');
    expect(reasonFor('_1-555')).toBe('"-" outside "[...]"');
    expect(reasonFor('_1 555')).toBe('spaces are not allowed');
    expect(reasonFor('1555')).toBe('a pattern starts with "_"');
  });
});

describe('pattern specificity', () => {
  function order(...sources: string[]): string[] {
    return sources
      .map(pattern)
      .sort(compareSpecificity)
      .map((p) => p.source);
  }

  it('puts the leftmost narrower position first', () => {
    expect(order('_155512XXXXX', '_1555123XXXX')).toEqual(['_1555123XXXX', '_155512XXXXX']);
    // Only the leftmost difference counts, not the number of wildcards.
    expect(order('_X123', '_1XXX')).toEqual(['_1XXX', '_X123']);
  });

  it('orders a position literal, set, N, Z, X, ".", "!"', () => {
    expect(order('_1!', '_1.', '_1X', '_1Z', '_1N', '_1[2-4]', '_15')).toEqual([
      '_15',
      '_1[2-4]',
      '_1N',
      '_1Z',
      '_1X',
      '_1.',
      '_1!',
    ]);
  });

  it('breaks a tie in set size by the lowest character', () => {
    expect(order('_[345]X', '_[234]X')).toEqual(['_[234]X', '_[345]X']);
    expect(order('_1NX', '_1[1-8]X')).toEqual(['_1[1-8]X', '_1NX']);
  });

  it('finds patterns that match the same numbers equal', () => {
    expect(compareSpecificity(pattern('_1X'), pattern('_1[0-9]'))).toBe(0);
    expect(compareSpecificity(pattern('_1X'), pattern('_1x'))).toBe(0);
    expect(compareSpecificity(pattern('_1[13]'), pattern('_1[12]'))).not.toBe(0);
  });
});
