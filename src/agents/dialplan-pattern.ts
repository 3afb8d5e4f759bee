// Asterisk dialplan patterns for dialled numbers: "_" then literal characters, X (0-9), Z (1-9),
// N (2-9), sets such as [1-4a], and a final "." (one or more of anything) or "!" (zero or more).
// X, Z and N are case-insensitive as in Asterisk; every other character is literal, "+" included.
//
// Specificity follows Asterisk's extension sort (pbx.c, ext_cmp_pattern): patterns are compared
// position by position from the left and the first position that differs decides. At a position
// the element with fewer possible characters wins (literal 1 < set of n < N 8 < Z 9 < X 10 < "."
// < "!" < end of pattern); equal counts fall back to the lowest character, then to the characters
// of the set. So `_1555123XXXX` beats `_155512XXXXX`, and `_1XXX` beats `_X123` even though it
// has more wildcards: only the leftmost difference counts.

export type PatternElement =
  | { readonly kind: 'chars'; readonly chars: string /* sorted, distinct */ }
  | { readonly kind: 'one_or_more' }
  | { readonly kind: 'zero_or_more' };

export interface DialplanPattern {
  /** As written, with the leading "_". */
  readonly source: string;
  readonly elements: readonly PatternElement[];
}

export type PatternParse =
  | { readonly ok: true; readonly pattern: DialplanPattern }
  | { readonly ok: false; readonly reason: string };

const DIGITS = '0123456789';
const CLASSES: Readonly<Record<string, string>> = {
  X: DIGITS,
  Z: DIGITS.slice(1),
  N: DIGITS.slice(2),
};

export function isPatternSource(number: string): boolean {
  return number.startsWith('_');
}

export function parseDialplanPattern(source: string): PatternParse {
  const fail = (reason: string): PatternParse => ({ ok: false, reason });
  if (!source.startsWith('_')) return fail('a pattern starts with "_"');
  const body = source.slice(1);
  if (body.length === 0) return fail('empty pattern');
  const elements: PatternElement[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    const upper = c.toUpperCase();
    if (/\s/.test(c)) return fail('spaces are not allowed');
    if (c === '.' || c === '!') {
      if (i !== body.length - 1) return fail(`"${c}" must be the last character`);
      elements.push({ kind: c === '.' ? 'one_or_more' : 'zero_or_more' });
      i += 1;
    } else if (c === '[') {
      const close = body.indexOf(']', i + 1);
      if (close < 0) return fail('unclosed "["');
      const set = parseSet(body.slice(i + 1, close));
      if (typeof set !== 'string') return fail(set.reason);
      elements.push({ kind: 'chars', chars: set });
      i = close + 1;
    } else if (c === ']') {
      return fail('"]" without "["');
    } else if (c === '-') {
      // Asterisk silently ignores a dash outside a set; we refuse to guess.
      return fail('"-" outside "[...]"');
    } else {
      elements.push({ kind: 'chars', chars: CLASSES[upper] ?? c });
      i += 1;
    }
  }
  return { ok: true, pattern: { source, elements } };
}

function parseSet(inner: string): string | { reason: string } {
  if (inner.length === 0) return { reason: 'empty "[]"' };
  const chars = new Set<string>();
  let i = 0;
  while (i < inner.length) {
    const c = inner[i]!;
    if (c === '[') return { reason: '"[" inside "[...]"' };
    if (c === '-') return { reason: `"-" must join two characters in "[${inner}]"` };
    if (inner[i + 1] === '-') {
      const to = inner[i + 2];
      if (to === undefined) return { reason: `"-" must join two characters in "[${inner}]"` };
      if (to < c) return { reason: `reversed range "${c}-${to}"` };
      for (let code = c.charCodeAt(0); code <= to.charCodeAt(0); code += 1) {
        chars.add(String.fromCharCode(code));
      }
      i += 3;
    } else {
      chars.add(c);
      i += 1;
    }
  }
  return [...chars].sort().join('');
}

export function matchesPattern(pattern: DialplanPattern, dialled: string): boolean {
  const { elements } = pattern;
  for (let i = 0; i < elements.length; i += 1) {
    const element = elements[i]!;
    if (element.kind === 'one_or_more') return dialled.length > i;
    if (element.kind === 'zero_or_more') return true;
    const c = dialled[i];
    if (c === undefined || !element.chars.includes(c)) return false;
  }
  return dialled.length === elements.length;
}

// Weights in the order of Asterisk's ext_cmp_pattern_pos: possible characters, then the lowest
// character; "." and "!" and the end of the pattern come after every set.
const ONE_OR_MORE_WEIGHT = 2 ** 40;
const ZERO_OR_MORE_WEIGHT = 2 ** 41;
const END_WEIGHT = 2 ** 42;

function weightAt(pattern: DialplanPattern, index: number): number {
  const element = pattern.elements[index];
  if (element === undefined) return END_WEIGHT;
  if (element.kind === 'one_or_more') return ONE_OR_MORE_WEIGHT;
  if (element.kind === 'zero_or_more') return ZERO_OR_MORE_WEIGHT;
  return element.chars.length * 0x10000 + element.chars.charCodeAt(0);
}

/**
 * Orders patterns most specific first (negative: `a` wins). 0 only for patterns that match
 * exactly the same numbers position by position (e.g. `_1X` and `_1[0-9]`).
 */
export function compareSpecificity(a: DialplanPattern, b: DialplanPattern): number {
  const length = Math.max(a.elements.length, b.elements.length);
  for (let i = 0; i < length; i += 1) {
    const difference = weightAt(a, i) - weightAt(b, i);
    if (difference !== 0) return difference;
    const ea = a.elements[i];
    const eb = b.elements[i];
    if (ea?.kind === 'chars' && eb?.kind === 'chars' && ea.chars !== eb.chars) {
      return ea.chars < eb.chars ? -1 : 1;
    }
  }
  return 0;
}
