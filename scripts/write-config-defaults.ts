// Regenerates config/default.json from the schema's defaults (secrets left empty), so the file
// an operator reads is exactly what the daemon uses. A test fails when the two disagree.
import { writeFileSync } from 'node:fs';
import convict from 'convict';
import { configSchema } from '../src/config/config-schema.ts';
import { DEFAULTS_FILE } from '../src/config/load-config.ts';

const defaults = convict(configSchema, { env: {}, args: [] }).getProperties();
writeFileSync(DEFAULTS_FILE, `${JSON.stringify(defaults, null, 2)}\n`);
process.stdout.write(`wrote ${DEFAULTS_FILE}\n`);
