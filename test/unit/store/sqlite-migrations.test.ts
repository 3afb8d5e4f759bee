import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallStoreMissingError } from '../../../src/store/call-store.ts';
import { CALL_STORE_FILE, SqliteCallStore } from '../../../src/store/sqlite-call-store.ts';
import {
  applyMigrations,
  SchemaVersionError,
  type SqliteMigration,
  sqliteMigrations,
} from '../../../src/store/sqlite-migrations.ts';
import { callRecord } from '../../support/call-records.ts';

describe('SqliteCallStore on disk and its migrations', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'callbridge-store-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory (mode 0700) and the database file (mode 0600) on first open', () => {
    const dataDir = join(root, 'nested', 'data');
    const store = SqliteCallStore.open(dataDir);
    store.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, CALL_STORE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('uses WAL journaling, so readers and the writer do not block each other', () => {
    SqliteCallStore.open(root, { busyTimeoutMs: 1234 }).close();
    const db = new DatabaseSync(join(root, CALL_STORE_FILE));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('keeps records across re-opening and applies the schema only once', async () => {
    const first = SqliteCallStore.open(root);
    expect(first.schemaVersion).toBe(sqliteMigrations.length);
    await first.saveCall(callRecord());
    first.close();

    const second = SqliteCallStore.open(root);
    expect(await second.getCall('call-1')).toStrictEqual(callRecord());
    second.close();

    const db = new DatabaseSync(join(root, CALL_STORE_FILE));
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(rows).toEqual(sqliteMigrations.map(({ version, name }) => ({ version, name })));
  });

  it('applies each migration once, in order, including ones added later', () => {
    const ran: string[] = [];
    const migration = (version: number): SqliteMigration => ({
      version,
      name: `m${version}`,
      up: (db) => {
        ran.push(`m${version}`);
        db.exec(`CREATE TABLE t${version} (x INTEGER)`);
      },
    });
    const db = new DatabaseSync(':memory:');
    expect(applyMigrations(db, [migration(1), migration(2)])).toEqual({
      from: 0,
      to: 2,
      applied: ['m1', 'm2'],
    });
    expect(applyMigrations(db, [migration(1), migration(2)])).toEqual({ from: 2, to: 2, applied: [] });
    expect(applyMigrations(db, [migration(1), migration(2), migration(3)])).toEqual({
      from: 2,
      to: 3,
      applied: ['m3'],
    });
    expect(ran).toEqual(['m1', 'm2', 'm3']);
    db.close();
  });

  it('rolls a failing migration back completely and names it', () => {
    const db = new DatabaseSync(':memory:');
    const failing: SqliteMigration = {
      version: 1,
      name: 'half done',
      up: (d) => {
        d.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => applyMigrations(db, [failing])).toThrow(/migration 1 "half done" failed/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database from a newer callbridge, naming both schema versions', () => {
    SqliteCallStore.open(root).close();
    const db = new DatabaseSync(join(root, CALL_STORE_FILE));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      99,
      'from the future',
      '2030-01-01T00:00:00.000Z',
    );
    db.close();

    let error: unknown;
    try {
      SqliteCallStore.open(root);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `schema version 99, but this callbridge knows schema versions up to ${sqliteMigrations.length}`,
      ),
    );
  });

  it('refuses to create a store when asked to open an existing one only', () => {
    expect(() => SqliteCallStore.open(join(root, 'absent'), { mustExist: true })).toThrow(
      CallStoreMissingError,
    );
  });
});
