import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.ts';

function* keys(node: object, prefix = ''): Generator<{ key: string; env?: string; doc?: string }> {
  for (const [name, value] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if ('default' in value) yield { key, env: value.env, doc: value.doc };
    else yield* keys(value, key);
  }
}

describe('the README configuration reference', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

  it('documents every key of the schema with its environment variable', () => {
    for (const { key, env, doc } of keys(configSchema)) {
      expect(doc, key).toBeTruthy();
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, `README row for ${key}`).toBeDefined();
      if (env) expect(row).toContain(`\`${env}\``);
    }
  });
});
