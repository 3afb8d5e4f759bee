// node:sqlite printed "ExperimentalWarning: SQLite is an experimental feature" on Node 24 before
// 24.15 (where it became a release candidate). The daemon and the calls CLI must not print it:
// this fails if the project's Node is older, or a later one warns again.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const storeModule = fileURLToPath(new URL('../../../src/store/sqlite-call-store.ts', import.meta.url));

describe('node:sqlite on the project Node', () => {
  it('opens the call store without printing a warning', () => {
    const script = `
      const { SqliteCallStore } = await import(${JSON.stringify(storeModule)});
      const store = SqliteCallStore.openInMemory();
      await store.listCalls({ limit: 1 });
      store.close();
      process.stdout.write('ok');
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 15_000,
    });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: 'ok',
      stderr: '',
    });
  });
});
