// The SQLite call store's schema, as an ordered list of migrations. Each is applied once, in its
// own transaction, and recorded in schema_migrations; a database written by a newer callbridge is
// refused rather than misread.
import type { DatabaseSync } from 'node:sqlite';

export interface SqliteMigration {
  version: number;
  name: string;
  up(db: DatabaseSync): void;
}

export class SchemaVersionError extends Error {
  readonly databaseVersion: number;
  readonly codeVersion: number;

  constructor(databaseVersion: number, codeVersion: number, where: string) {
    super(
      `${where} has schema version ${databaseVersion}, but this callbridge knows schema versions up to ` +
        `${codeVersion}: it was written by a newer callbridge. Upgrade callbridge, or use another data directory.`,
    );
    this.name = 'SchemaVersionError';
    this.databaseVersion = databaseVersion;
    this.codeVersion = codeVersion;
  }
}

// Why the record's lists are JSON columns and not child tables: a record is written once, when
// the call ends, and always read whole (show, export, the API); nothing queries one turn or one
// tool call. A document per call keeps saving and replacing it one statement, reading it one row,
// and paging an export one query per page. What is filtered, sorted or summed is a real column:
// times, agent, caller, end reason, turn count, token counts, cost. STRICT makes SQLite enforce
// the column types; json_valid keeps the JSON columns honest.
const migration1: SqliteMigration = {
  version: 1,
  name: 'calls and caller memory',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
        channel_id TEXT NOT NULL,
        dialled TEXT NOT NULL,
        caller_number TEXT NOT NULL,
        caller_name TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        arrived_at TEXT NOT NULL,
        answered_at TEXT,
        ended_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        end_reason TEXT NOT NULL,
        caller_outcome TEXT NOT NULL,
        turn_count INTEGER NOT NULL,
        turns TEXT NOT NULL CHECK (json_valid(turns)),
        tool_calls TEXT NOT NULL CHECK (json_valid(tool_calls)),
        barge_ins TEXT NOT NULL CHECK (json_valid(barge_ins)),
        dtmf TEXT NOT NULL CHECK (json_valid(dtmf)),
        turn_latencies_ms TEXT NOT NULL CHECK (json_valid(turn_latencies_ms)),
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        input_audio_tokens INTEGER NOT NULL,
        output_audio_tokens INTEGER NOT NULL,
        input_text_tokens INTEGER NOT NULL,
        output_text_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cost_usd REAL,
        media TEXT NOT NULL CHECK (json_valid(media))
      ) STRICT;
      -- Listing pages newest first by (arrived_at, id), optionally for one agent or one caller
      -- (also how forgetting a caller finds their calls); purging goes by ended_at.
      CREATE INDEX calls_by_arrival ON calls (arrived_at, id);
      CREATE INDEX calls_by_agent ON calls (agent_id, arrived_at, id);
      CREATE INDEX calls_by_caller ON calls (caller_number, arrived_at, id);
      CREATE INDEX calls_by_end ON calls (ended_at);

      CREATE TABLE caller_memory (
        agent_id TEXT NOT NULL,
        caller_number TEXT NOT NULL,
        call_count INTEGER NOT NULL,
        first_call_at TEXT NOT NULL,
        last_call_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (agent_id, caller_number)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX caller_memory_by_last_call ON caller_memory (last_call_at);
    `);
  },
};

export const sqliteMigrations: readonly SqliteMigration[] = [migration1];

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** Brings the database to the last migration's version. `where` names the database in errors. */
export function applyMigrations(
  db: DatabaseSync,
  migrations: readonly SqliteMigration[] = sqliteMigrations,
  where = 'the database',
): MigrationResult {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
  });
  const codeVersion = migrations.length;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const currentVersion = db.prepare('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const readVersion = (): number => Number(currentVersion.get()?.['version'] ?? 0);

  const from = readVersion();
  if (from > codeVersion) throw new SchemaVersionError(from, codeVersion, where);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    // IMMEDIATE takes the write lock first, so two processes opening the store at once apply
    // each migration once: the second sees the first's row and skips.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (readVersion() < migration.version) {
        migration.up(db);
        record.run(migration.version, migration.name, new Date().toISOString());
        applied.push(migration.name);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`${where}: migration ${migration.version} "${migration.name}" failed`, {
        cause: error,
      });
    }
  }
  return { from, to: readVersion(), applied };
}
