// Which agent answers a dialled number. An exact number wins over any pattern; among the patterns
// that match, the most specific one wins, ordered as Asterisk orders extensions (see
// dialplan-pattern.ts: the leftmost position where two patterns differ decides, the element with
// fewer possible characters winning); when nothing matches, the default agent answers.
// The dialled number is only trimmed: "+" is a literal character like any other.

import type { AgentDefinition } from './agent-definition.ts';
import {
  compareSpecificity,
  type DialplanPattern,
  isPatternSource,
  matchesPattern,
  parseDialplanPattern,
} from './dialplan-pattern.ts';

export type MatchedBy = 'exact' | 'pattern' | 'default';

export interface AgentResolution {
  readonly agent: AgentDefinition;
  readonly matchedBy: MatchedBy;
  /** The entry of `numbers` that matched; null for the default agent. */
  readonly matched: string | null;
}

interface PatternRoute {
  readonly pattern: DialplanPattern;
  readonly agent: AgentDefinition;
}

/** A validated, frozen set of agents and its routes; replaced whole on reload. */
export class AgentSet {
  readonly agents: readonly AgentDefinition[];
  readonly defaultAgent: AgentDefinition;
  readonly #exact = new Map<string, AgentDefinition>();
  /** Most specific first. */
  readonly #patterns: readonly PatternRoute[];

  /** `agents` must be valid (see validateAgentsDocument): one default, no number claimed twice. */
  constructor(agents: readonly AgentDefinition[]) {
    const defaults = agents.filter((agent) => agent.default);
    if (defaults.length !== 1)
      throw new Error(`an AgentSet needs exactly one default agent, got ${defaults.length}`);
    this.agents = deepFreeze([...agents]);
    this.defaultAgent = defaults[0]!;
    const patterns: PatternRoute[] = [];
    for (const agent of this.agents) {
      for (const number of agent.numbers) {
        if (!isPatternSource(number)) {
          this.#exact.set(number, agent);
          continue;
        }
        const parsed = parseDialplanPattern(number);
        if (!parsed.ok) throw new Error(`agent ${agent.id}: invalid pattern "${number}": ${parsed.reason}`);
        patterns.push({ pattern: parsed.pattern, agent });
      }
    }
    this.#patterns = patterns.sort(
      (a, b) => compareSpecificity(a.pattern, b.pattern) || compareText(a.pattern.source, b.pattern.source),
    );
  }

  get(id: string): AgentDefinition | undefined {
    return this.agents.find((agent) => agent.id === id);
  }

  /** Counts for the reload log line. */
  get stats(): { agents: number; exactNumbers: number; patterns: number; defaultAgent: string } {
    return {
      agents: this.agents.length,
      exactNumbers: this.#exact.size,
      patterns: this.#patterns.length,
      defaultAgent: this.defaultAgent.id,
    };
  }

  resolve(dialled: string): AgentResolution {
    const number = dialled.trim();
    const exact = this.#exact.get(number);
    if (exact !== undefined) return { agent: exact, matchedBy: 'exact', matched: number };
    for (const route of this.#patterns) {
      if (matchesPattern(route.pattern, number)) {
        return { agent: route.agent, matchedBy: 'pattern', matched: route.pattern.source };
      }
    }
    return { agent: this.defaultAgent, matchedBy: 'default', matched: null };
  }
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
