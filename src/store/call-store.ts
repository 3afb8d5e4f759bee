// What callbridge keeps after a call: the call's record and, per agent and caller, a short memory
// of earlier calls. An interface so another database can follow; nothing outside src/store/
// knows which one is in use.

export interface CallTurn {
  /** ISO 8601 */
  at: string;
  role: 'caller' | 'agent' | 'system';
  text: string;
  itemId?: string;
  interrupted?: boolean;
  /** How much of an interrupted agent turn the caller heard. */
  heardMs?: number;
  latencyMs?: number;
}

export interface CallToolCall {
  at: string;
  name: string;
  arguments: unknown;
  result: unknown;
  ok: boolean;
  durationMs: number;
}

export interface CallBargeIn {
  at: string;
  itemId: string | null;
  heardMs: number;
}

export interface CallDtmf {
  at: string;
  digits: string;
  handledBy: 'model' | 'key_action';
}

export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  inputAudioTokens: number;
  outputAudioTokens: number;
  inputTextTokens: number;
  outputTextTokens: number;
  cachedInputTokens: number;
}

export interface CallRecord {
  id: string;
  channelId: string;
  dialled: string;
  callerNumber: string;
  callerName: string;
  agentId: string;
  /** ISO 8601 with milliseconds; stored and returned in UTC (`toISOString()` form). */
  arrivedAt: string;
  answeredAt: string | null;
  endedAt: string;
  endReason: string;
  callerOutcome: string;
  turns: CallTurn[];
  toolCalls: CallToolCall[];
  bargeIns: CallBargeIn[];
  dtmf: CallDtmf[];
  turnLatenciesMs: number[];
  usage: CallUsage;
  costUsd: number | null;
  /** RTP counters etc., stored as JSON. */
  media: Record<string, unknown>;
}

export interface CallListItem {
  id: string;
  dialled: string;
  callerNumber: string;
  agentId: string;
  arrivedAt: string;
  answeredAt: string | null;
  endedAt: string;
  /** endedAt − arrivedAt: the whole call including ringing, as in Asterisk's CDR `duration`. */
  durationMs: number;
  endReason: string;
  /** Number of transcript turns (all roles). */
  turns: number;
  costUsd: number | null;
}

export interface CallerMemory {
  agentId: string;
  callerNumber: string;
  callCount: number;
  firstCallAt: string;
  lastCallAt: string;
  summary: string;
}

export interface CallListQuery {
  limit: number;
  /** A list cursor: calls that arrived before it (see `listCursorOf`). */
  before?: string;
  agentId?: string;
  callerNumber?: string;
}

export interface CallStore {
  /** Inserts; saving the same id again replaces the record. */
  saveCall(record: CallRecord): Promise<void>;
  getCall(id: string): Promise<CallRecord | null>;
  /** Newest first. */
  listCalls(query: CallListQuery): Promise<CallListItem[]>;
  /** Oldest first, read in pages; `since` keeps calls that arrived at or after it. */
  exportCalls(query: { since?: string }): AsyncIterable<CallRecord>;
  getMemory(agentId: string, callerNumber: string): Promise<CallerMemory | null>;
  /** Upsert: callCount + 1, lastCallAt = at, summary replaced unless the new one is empty. */
  rememberCall(agentId: string, callerNumber: string, at: string, summary: string): Promise<CallerMemory>;
  /**
   * Deletes the caller's memory with this agent and redacts the caller's records with it:
   * transcript texts, DTMF digits, caller name, tool-call arguments and results. Timings,
   * usage and cost stay.
   */
  forgetCaller(
    agentId: string,
    callerNumber: string,
  ): Promise<{ memoryDeleted: boolean; callsRedacted: number }>;
  /** Deletes memory rows whose lastCallAt < olderThan; returns how many. */
  purgeMemory(olderThan: string): Promise<number>;
  /** Deletes call records whose endedAt < olderThan; returns how many. */
  purgeCalls(olderThan: string): Promise<number>;
  close(): void;
}

/** Opening for reading found no store: tools report it instead of creating an empty one. */
export class CallStoreMissingError extends Error {
  constructor(where: string) {
    super(`no call store at ${where}`);
    this.name = 'CallStoreMissingError';
  }
}

/** Replaces the caller's words and data in a record; used by every store's `forgetCaller`. */
export const FORGOTTEN_TEXT = '[forgotten]';

export function redactCallRecord(record: CallRecord): CallRecord {
  return {
    ...record,
    callerName: '',
    turns: record.turns.map((turn) => ({ ...turn, text: FORGOTTEN_TEXT })),
    toolCalls: record.toolCalls.map((call) => ({ ...call, arguments: null, result: null })),
    // Digits a caller keyed in can be account numbers or PINs.
    dtmf: record.dtmf.map((press) => ({ ...press, digits: FORGOTTEN_TEXT })),
  };
}

/**
 * Times are kept as `toISOString()` strings so they compare as text in every store; any ISO 8601
 * input (with an offset, without milliseconds) is accepted and normalised.
 */
export function normaliseTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO 8601 time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/**
 * A list cursor is `<arrivedAt>` or `<arrivedAt>|<id>`. The id breaks ties between calls that
 * arrived in the same millisecond, so paging neither skips nor repeats them; a bare time means
 * "arrived strictly before it".
 */
export interface ListCursor {
  arrivedAt: string;
  /** '' for a bare time: no id sorts below it. */
  id: string;
}

export function listCursorOf(item: Pick<CallListItem, 'arrivedAt' | 'id'>): string {
  return `${item.arrivedAt}|${item.id}`;
}

export function parseListCursor(cursor: string): ListCursor {
  const bar = cursor.indexOf('|');
  const time = bar === -1 ? cursor : cursor.slice(0, bar);
  const id = bar === -1 ? '' : cursor.slice(bar + 1);
  return { arrivedAt: normaliseTime(time, 'before'), id };
}
