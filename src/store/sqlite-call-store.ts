// The call store in one SQLite file (callbridge.sqlite) in the data directory, through Node's
// built-in node:sqlite: no native build. node:sqlite is synchronous; each method does its work
// synchronously and returns a settled promise, so the CallStore interface fits a networked
// database too. Statements are prepared once (list queries once per filter combination).
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import {
  type CallerMemory,
  type CallListItem,
  type CallListQuery,
  type CallRecord,
  type CallStore,
  CallStoreMissingError,
  normaliseTime,
  parseListCursor,
  redactCallRecord,
} from './call-store.ts';
import { applyMigrations, type SqliteMigration, sqliteMigrations } from './sqlite-migrations.ts';

export const CALL_STORE_FILE = 'callbridge.sqlite';

export interface SqliteCallStoreOptions {
  /** Refuse to create the directory or the file (for tools that only read). Default false. */
  mustExist?: boolean;
  /** How long a statement waits for another process's write lock. Default 5000. */
  busyTimeoutMs?: number;
  /** Records per query while exporting. Default 200. */
  exportPageSize?: number;
  /** For tests of the migration machinery. */
  migrations?: readonly SqliteMigration[];
}

type Row = Record<string, SQLOutputValue>;

const LIST_COLUMNS =
  'id, dialled, caller_number, agent_id, arrived_at, answered_at, ended_at, duration_ms, end_reason, turn_count, cost_usd';

export class SqliteCallStore implements CallStore {
  /** The database file, or ':memory:'. */
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #exportPageSize: number;
  readonly #listStatements = new Map<string, StatementSync>();
  readonly #save: StatementSync;
  readonly #get: StatementSync;
  readonly #exportFirst: StatementSync;
  readonly #exportNext: StatementSync;
  readonly #getMemory: StatementSync;
  readonly #remember: StatementSync;
  readonly #deleteMemory: StatementSync;
  readonly #callsOfCaller: StatementSync;
  readonly #purgeMemory: StatementSync;
  readonly #purgeCalls: StatementSync;
  readonly #schemaVersion: StatementSync;

  /** Opens (creating if needed) `<dataDir>/callbridge.sqlite`; a new directory gets mode 0700. */
  static open(dataDir: string, options: SqliteCallStoreOptions = {}): SqliteCallStore {
    const path = join(dataDir, CALL_STORE_FILE);
    const exists = existsSync(path);
    if (!exists) {
      if (options.mustExist) throw new CallStoreMissingError(path);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    }
    const store = new SqliteCallStore(path, options);
    // Transcripts are personal data: the file is the owner's alone (SQLite creates it 0644).
    if (!exists) chmodSync(path, 0o600);
    return store;
  }

  /** A private in-memory database, for tests. */
  static openInMemory(options: SqliteCallStoreOptions = {}): SqliteCallStore {
    return new SqliteCallStore(':memory:', options);
  }

  private constructor(path: string, options: SqliteCallStoreOptions) {
    this.path = path;
    this.#exportPageSize = options.exportPageSize ?? 200;
    const db = new DatabaseSync(path, {
      enableForeignKeyConstraints: true,
      timeout: options.busyTimeoutMs ?? 5000,
    });
    this.#db = db;
    try {
      // WAL: the daemon writes while the CLI or the admin API reads. (':memory:' stays 'memory'.)
      db.exec('PRAGMA journal_mode = WAL');
      // Writes run on the daemon's event loop, beside live calls' 20 ms audio: NORMAL skips the
      // fsync per commit (about 4× faster saves). A power cut can lose the last few records,
      // never corrupt the file.
      db.exec('PRAGMA synchronous = NORMAL');
      applyMigrations(db, options.migrations ?? sqliteMigrations, path);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#save = db.prepare(`INSERT OR REPLACE INTO calls (
        id, channel_id, dialled, caller_number, caller_name, agent_id, arrived_at, answered_at, ended_at,
        duration_ms, end_reason, caller_outcome, turn_count, turns, tool_calls, barge_ins, dtmf,
        turn_latencies_ms, input_tokens, output_tokens, input_audio_tokens, output_audio_tokens,
        input_text_tokens, output_text_tokens, cached_input_tokens, cost_usd, media
      ) VALUES (
        :id, :channel_id, :dialled, :caller_number, :caller_name, :agent_id, :arrived_at, :answered_at,
        :ended_at, :duration_ms, :end_reason, :caller_outcome, :turn_count, :turns, :tool_calls, :barge_ins,
        :dtmf, :turn_latencies_ms, :input_tokens, :output_tokens, :input_audio_tokens, :output_audio_tokens,
        :input_text_tokens, :output_text_tokens, :cached_input_tokens, :cost_usd, :media
      )`);
    this.#get = db.prepare('SELECT * FROM calls WHERE id = ?');
    this.#exportFirst = db.prepare(
      'SELECT * FROM calls WHERE arrived_at >= ? ORDER BY arrived_at, id LIMIT ?',
    );
    this.#exportNext = db.prepare(
      'SELECT * FROM calls WHERE (arrived_at, id) > (?, ?) ORDER BY arrived_at, id LIMIT ?',
    );
    this.#getMemory = db.prepare('SELECT * FROM caller_memory WHERE agent_id = ? AND caller_number = ?');
    this.#remember = db.prepare(`INSERT INTO caller_memory
        (agent_id, caller_number, call_count, first_call_at, last_call_at, summary)
      VALUES (:agent_id, :caller_number, 1, :at, :at, :summary)
      ON CONFLICT (agent_id, caller_number) DO UPDATE SET
        call_count = call_count + 1,
        -- min/max: a call recorded late does not move the first/last call backwards.
        first_call_at = min(first_call_at, excluded.first_call_at),
        last_call_at = max(last_call_at, excluded.last_call_at),
        summary = CASE WHEN excluded.summary = '' THEN summary ELSE excluded.summary END
      RETURNING *`);
    this.#deleteMemory = db.prepare('DELETE FROM caller_memory WHERE agent_id = ? AND caller_number = ?');
    this.#callsOfCaller = db.prepare('SELECT * FROM calls WHERE caller_number = ? AND agent_id = ?');
    this.#purgeMemory = db.prepare('DELETE FROM caller_memory WHERE last_call_at < ?');
    this.#purgeCalls = db.prepare('DELETE FROM calls WHERE ended_at < ?');
    this.#schemaVersion = db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
  }

  /** The schema version the database is at. */
  get schemaVersion(): number {
    return Number(this.#schemaVersion.get()?.['v'] ?? 0);
  }

  async saveCall(record: CallRecord): Promise<void> {
    this.#saveSync(record);
  }

  async getCall(id: string): Promise<CallRecord | null> {
    const row = this.#get.get(id);
    return row === undefined ? null : toRecord(row);
  }

  async listCalls(query: CallListQuery): Promise<CallListItem[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${query.limit}`);
    const params: SQLInputValue[] = [];
    const where: string[] = [];
    if (query.agentId !== undefined) {
      where.push('agent_id = ?');
      params.push(query.agentId);
    }
    if (query.callerNumber !== undefined) {
      where.push('caller_number = ?');
      params.push(query.callerNumber);
    }
    if (query.before !== undefined) {
      const cursor = parseListCursor(query.before);
      where.push('(arrived_at, id) < (?, ?)');
      params.push(cursor.arrivedAt, cursor.id);
    }
    const key = where.join(' AND ');
    let statement = this.#listStatements.get(key);
    if (statement === undefined) {
      statement = this.#db.prepare(
        `SELECT ${LIST_COLUMNS} FROM calls ${key === '' ? '' : `WHERE ${key}`} ` +
          'ORDER BY arrived_at DESC, id DESC LIMIT ?',
      );
      this.#listStatements.set(key, statement);
    }
    return statement.all(...params, query.limit).map(toListItem);
  }

  // Keyset paging: each page is its own short query, so no read stays open across the caller's
  // awaits (a long-open read would hold back WAL checkpoints while the daemon keeps writing).
  async *exportCalls(query: { since?: string }): AsyncIterable<CallRecord> {
    const since = query.since === undefined ? '' : normaliseTime(query.since, 'since');
    let page = this.#exportFirst.all(since, this.#exportPageSize);
    while (page.length > 0) {
      const records = page.map(toRecord);
      yield* records;
      const last = records[records.length - 1]!;
      if (page.length < this.#exportPageSize) return;
      page = this.#exportNext.all(last.arrivedAt, last.id, this.#exportPageSize);
    }
  }

  async getMemory(agentId: string, callerNumber: string): Promise<CallerMemory | null> {
    const row = this.#getMemory.get(agentId, callerNumber);
    return row === undefined ? null : toMemory(row);
  }

  async rememberCall(
    agentId: string,
    callerNumber: string,
    at: string,
    summary: string,
  ): Promise<CallerMemory> {
    const row = this.#remember.get({
      agent_id: agentId,
      caller_number: callerNumber,
      at: normaliseTime(at, 'at'),
      summary,
    });
    if (row === undefined) throw new Error('caller memory upsert returned no row');
    return toMemory(row);
  }

  async forgetCaller(
    agentId: string,
    callerNumber: string,
  ): Promise<{ memoryDeleted: boolean; callsRedacted: number }> {
    return this.#transaction(() => {
      const memoryDeleted = Number(this.#deleteMemory.run(agentId, callerNumber).changes) > 0;
      const records = this.#callsOfCaller.all(callerNumber, agentId).map(toRecord);
      for (const record of records) this.#saveSync(redactCallRecord(record));
      return { memoryDeleted, callsRedacted: records.length };
    });
  }

  async purgeMemory(olderThan: string): Promise<number> {
    return Number(this.#purgeMemory.run(normaliseTime(olderThan, 'olderThan')).changes);
  }

  async purgeCalls(olderThan: string): Promise<number> {
    return Number(this.#purgeCalls.run(normaliseTime(olderThan, 'olderThan')).changes);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #saveSync(record: CallRecord): void {
    if (record.id === '') throw new RangeError('a call record needs an id');
    const arrivedAt = normaliseTime(record.arrivedAt, 'arrivedAt');
    const endedAt = normaliseTime(record.endedAt, 'endedAt');
    const durationMs = Date.parse(endedAt) - Date.parse(arrivedAt);
    if (durationMs < 0)
      throw new RangeError(`call ${record.id} ends (${endedAt}) before it arrives (${arrivedAt})`);
    const u = record.usage;
    this.#save.run({
      id: record.id,
      channel_id: record.channelId,
      dialled: record.dialled,
      caller_number: record.callerNumber,
      caller_name: record.callerName,
      agent_id: record.agentId,
      arrived_at: arrivedAt,
      answered_at: record.answeredAt === null ? null : normaliseTime(record.answeredAt, 'answeredAt'),
      ended_at: endedAt,
      duration_ms: durationMs,
      end_reason: record.endReason,
      caller_outcome: record.callerOutcome,
      turn_count: record.turns.length,
      turns: JSON.stringify(record.turns),
      tool_calls: JSON.stringify(record.toolCalls),
      barge_ins: JSON.stringify(record.bargeIns),
      dtmf: JSON.stringify(record.dtmf),
      turn_latencies_ms: JSON.stringify(record.turnLatenciesMs),
      input_tokens: u.inputTokens,
      output_tokens: u.outputTokens,
      input_audio_tokens: u.inputAudioTokens,
      output_audio_tokens: u.outputAudioTokens,
      input_text_tokens: u.inputTextTokens,
      output_text_tokens: u.outputTextTokens,
      cached_input_tokens: u.cachedInputTokens,
      cost_usd: record.costUsd,
      media: JSON.stringify(record.media),
    });
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`calls store: column ${column} is not text`);
  return value;
}

function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

function num(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw new TypeError(`calls store: column ${column} is not a number`);
  return value;
}

function numOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : num(row, column);
}

// The JSON columns hold what saveCall wrote from a typed CallRecord (checked json_valid on write).
function json<T>(row: Row, column: string): T {
  return JSON.parse(text(row, column)) as T;
}

function toRecord(row: Row): CallRecord {
  return {
    id: text(row, 'id'),
    channelId: text(row, 'channel_id'),
    dialled: text(row, 'dialled'),
    callerNumber: text(row, 'caller_number'),
    callerName: text(row, 'caller_name'),
    agentId: text(row, 'agent_id'),
    arrivedAt: text(row, 'arrived_at'),
    answeredAt: textOrNull(row, 'answered_at'),
    endedAt: text(row, 'ended_at'),
    endReason: text(row, 'end_reason'),
    callerOutcome: text(row, 'caller_outcome'),
    turns: json(row, 'turns'),
    toolCalls: json(row, 'tool_calls'),
    bargeIns: json(row, 'barge_ins'),
    dtmf: json(row, 'dtmf'),
    turnLatenciesMs: json(row, 'turn_latencies_ms'),
    usage: {
      inputTokens: num(row, 'input_tokens'),
      outputTokens: num(row, 'output_tokens'),
      inputAudioTokens: num(row, 'input_audio_tokens'),
      outputAudioTokens: num(row, 'output_audio_tokens'),
      inputTextTokens: num(row, 'input_text_tokens'),
      outputTextTokens: num(row, 'output_text_tokens'),
      cachedInputTokens: num(row, 'cached_input_tokens'),
    },
    costUsd: numOrNull(row, 'cost_usd'),
    media: json(row, 'media'),
  };
}

function toListItem(row: Row): CallListItem {
  return {
    id: text(row, 'id'),
    dialled: text(row, 'dialled'),
    callerNumber: text(row, 'caller_number'),
    agentId: text(row, 'agent_id'),
    arrivedAt: text(row, 'arrived_at'),
    answeredAt: textOrNull(row, 'answered_at'),
    endedAt: text(row, 'ended_at'),
    durationMs: num(row, 'duration_ms'),
    endReason: text(row, 'end_reason'),
    turns: num(row, 'turn_count'),
    costUsd: numOrNull(row, 'cost_usd'),
  };
}

function toMemory(row: Row): CallerMemory {
  return {
    agentId: text(row, 'agent_id'),
    callerNumber: text(row, 'caller_number'),
    callCount: num(row, 'call_count'),
    firstCallAt: text(row, 'first_call_at'),
    lastCallAt: text(row, 'last_call_at'),
    summary: text(row, 'summary'),
  };
}
