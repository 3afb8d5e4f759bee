// Prints the configuration reference table for the README from the schema itself.
import { configSchema } from '../src/config/config-schema.ts';

interface Entry {
  doc?: string;
  default: unknown;
  env?: string;
  format?: unknown;
  sensitive?: boolean;
}

function* entries(node: Record<string, unknown>, prefix = ''): Generator<[string, Entry]> {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && 'default' in value) yield [path, value as Entry];
    else yield* entries(value as Record<string, unknown>, path);
  }
}

const rows = ['| Key | Environment variable | Default | Meaning |', '| --- | --- | --- | --- |'];
for (const [key, entry] of entries(configSchema as unknown as Record<string, unknown>)) {
  const allowed = Array.isArray(entry.format)
    ? ` One of: ${entry.format.map((v) => `\`${v}\``).join(', ')}.`
    : '';
  // A secret's value is never printed; only free-text secrets may be left empty.
  const secret = entry.format === String ? '(secret, optional)' : '(required, secret)';
  const value = entry.sensitive ? secret : `\`${JSON.stringify(entry.default)}\``;
  rows.push(
    `| \`${key}\` | ${entry.env ? `\`${entry.env}\`` : ''} | ${value} | ${entry.doc ?? ''}${allowed} |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
