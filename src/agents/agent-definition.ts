// One agent per dialled number: what the agents file describes once it has been validated, with
// every default filled in. Everything here is deeply frozen, so a call that resolved an agent keeps
// an unchanging definition even after the file is reloaded.

export const BUILT_IN_TOOLS = ['end_call', 'transfer_call', 'forget_me'] as const;
export type BuiltInToolName = (typeof BUILT_IN_TOOLS)[number];

/** Monday first, the order the agents file and the instructions use. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DTMF_KEYS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];

export const AGENT_DEFAULTS = {
  default: false,
  webhookTimeoutMs: 5000,
  webhookMaxTimeoutMs: 30_000,
  endpointTimeoutSec: 30,
  dialplanPriority: 1,
  durationWarningSec: 60,
  interDigitTimeoutMs: 1500,
  memoryEnabled: true,
} as const;

/** One opening period of a day, in minutes after local midnight; `end` may be 1440 ("24:00"). */
export interface TimeRange {
  readonly startMinute: number;
  readonly endMinute: number;
  /** As written, e.g. "09:00-12:30". */
  readonly text: string;
}

export interface BusinessHours {
  /** IANA name accepted by Intl, e.g. "America/New_York". */
  readonly timezone: string;
  /** Every day present; a closed day has no ranges. Ranges are sorted and do not overlap. */
  readonly weekly: Readonly<Record<Weekday, readonly TimeRange[]>>;
  /** Local dates (YYYY-MM-DD) on which the office is closed all day, sorted. */
  readonly closedDates: readonly string[];
}

export type KnowledgeItem =
  | { readonly kind: 'faq'; readonly question: string; readonly answer: string }
  | { readonly kind: 'note'; readonly text: string };

export interface WebhookAuth {
  /** HTTP header name, e.g. "Authorization". */
  readonly header: string;
  /** The environment variable the secret came from (for messages). */
  readonly valueFromEnv: string;
  readonly prefix: string;
  /**
   * The header value: prefix + the secret read at load. A method rather than a field so the
   * secret never appears when an agent is logged or serialised.
   */
  headerValue(): string;
}

/** A JSON Schema object schema, as written in the agents file. */
export interface JsonObjectSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly [keyword: string]: unknown;
}

export interface WebhookToolDefinition {
  /** [a-zA-Z0-9_-]{1,64}; never a built-in tool name. */
  readonly name: string;
  readonly description: string;
  /** http: or https: URL. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly auth: WebhookAuth | null;
  /** Defaults to an object schema without properties. */
  readonly parameters: JsonObjectSchema;
}

export type TransferTarget =
  | {
      readonly kind: 'dialplan';
      readonly context: string;
      readonly extension: string;
      readonly priority: number;
      readonly description?: string;
    }
  | {
      readonly kind: 'endpoint';
      /** Asterisk endpoint, e.g. "PJSIP/101". */
      readonly endpoint: string;
      readonly timeoutSec: number;
      readonly description?: string;
    };

export type DtmfKeyAction =
  | { readonly action: 'transfer'; readonly target: string }
  | { readonly action: 'end_call' };

export interface DtmfSettings {
  readonly interDigitTimeoutMs: number;
  readonly keys: Readonly<Partial<Record<DtmfKey, DtmfKeyAction>>>;
}

export interface MemorySettings {
  readonly enabled: boolean;
}

export interface AgentDefinition {
  /** [a-z0-9_-]{1,40}, unique in the file. */
  readonly id: string;
  readonly name: string;
  /** As written: exact numbers and patterns (leading "_"). */
  readonly numbers: readonly string[];
  readonly default: boolean;
  /** null: use the global setting. */
  readonly model: string | null;
  readonly voice: string | null;
  /** Canonical BCP 47 tag, or null when the agent does not fix a language. */
  readonly language: string | null;
  readonly instructions: string;
  readonly greeting: string | null;
  readonly businessHours: BusinessHours | null;
  readonly knowledge: readonly KnowledgeItem[];
  /**
   * Only names that exist: built-ins and this agent's webhooks. When the file leaves it out:
   * end_call, transfer_call (with transfer targets), forget_me (with memory on), every webhook.
   */
  readonly tools: readonly string[];
  readonly webhooks: readonly WebhookToolDefinition[];
  readonly transferTargets: Readonly<Record<string, TransferTarget>>;
  /** null: no limit. */
  readonly maxCallDurationSec: number | null;
  /** Seconds before maxCallDurationSec at which the warning turn comes. */
  readonly durationWarningSec: number;
  /** null: no idle handling. */
  readonly idleTimeoutSec: number | null;
  readonly dtmf: DtmfSettings;
  readonly memory: MemorySettings;
}

export function isBuiltInTool(name: string): name is BuiltInToolName {
  return (BUILT_IN_TOOLS as readonly string[]).includes(name);
}
