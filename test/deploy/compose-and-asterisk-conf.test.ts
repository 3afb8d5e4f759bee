// Docker has no engine on the machines this project is developed on, so the compose file and
// the Asterisk configuration are checked here for what can be checked without running them:
// that they agree with each other and with callbridge's own config schema.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/config-schema.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface ComposeService {
  build: string;
  environment?: Record<string, string>;
  networks: { voice: { ipv4_address: string } };
  ports?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
const asterisk = compose.services['asterisk']!;
const callbridge = compose.services['callbridge']!;
const env = callbridge.environment ?? {};

/** key = value settings of one [section] of an Asterisk .conf file. */
function confSection(file: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let current = '';
  for (const raw of read(`asterisk-conf/${file}`).split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) current = header[1]!;
    else if (current === section && line.includes('=')) {
      const [key, ...rest] = line.split('=');
      values.set(key!.trim(), rest.join('=').trim());
    }
  }
  return values;
}

function schemaEnvNames(schema: object): string[] {
  return Object.values(schema).flatMap((entry: Record<string, unknown>) =>
    'default' in entry ? (typeof entry['env'] === 'string' ? [entry['env']] : []) : schemaEnvNames(entry),
  );
}

describe('docker-compose.yml and asterisk-conf/', () => {
  it('only sets environment variables callbridge reads', () => {
    const known = schemaEnvNames(configSchema);
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('points callbridge at the Asterisk container ARI with the ari.conf user', () => {
    const url = new URL(env['ARI_URL']!);
    expect(url.hostname).toBe(asterisk.networks.voice.ipv4_address);
    expect(url.port).toBe(confSection('http.conf', 'general').get('bindport'));
    const user = confSection('ari.conf', env['ARI_USERNAME']!);
    expect(user.get('type')).toBe('user');
    expect(user.get('password')).toBe(env['ARI_PASSWORD']);
  });

  it('advertises the callbridge container address for RTP', () => {
    expect(env['RTP_ADVERTISE_HOST']).toBe(callbridge.networks.voice.ipv4_address);
  });

  it('sends inbound calls to the app without answering first', () => {
    const dialplan = read('asterisk-conf/extensions.conf');
    for (const context of ['from-trunk', 'from-phones']) {
      const body = dialplan.split(`[${context}]`)[1]!.split(/\n\[/)[0]!;
      expect(body).toContain(`Stasis(${env['ARI_APP']},\${EXTEN})`);
      expect(body.split('Stasis(')[0]).not.toMatch(/Answer\(/);
    }
    for (const endpoint of ['trunk', '6001']) {
      const context = confSection('pjsip.conf', endpoint).get('context');
      expect(dialplan).toContain(`[${context}]`);
    }
  });

  it('publishes exactly the RTP range Asterisk uses', () => {
    const rtp = confSection('rtp.conf', 'general');
    const range = `${rtp.get('rtpstart')}-${rtp.get('rtpend')}`;
    expect(asterisk.ports).toContain(`${range}:${range}/udp`);
    expect(read('asterisk-conf/Dockerfile')).toContain(`${range}/udp`);
  });

  it('builds images from files that exist', () => {
    for (const dockerfile of ['Dockerfile', 'asterisk-conf/Dockerfile']) {
      const dir = path.dirname(path.join(root, dockerfile));
      for (const line of read(dockerfile)
        .split('\n')
        .filter((l) => l.startsWith('COPY '))) {
        const sources = line
          .replace(/^COPY\s+/, '')
          .split(/\s+/)
          .slice(0, -1);
        for (const source of sources)
          expect(existsSync(path.join(dir, source)), `${dockerfile}: ${source}`).toBe(true);
      }
    }
    expect(read('Dockerfile')).toMatch(/^FROM node:24/m);
  });
});
