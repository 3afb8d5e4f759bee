import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import convict from 'convict';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.ts';
import { ConfigError, DEFAULTS_FILE, describeConfig, loadConfig } from '../../../src/config/load-config.ts';

const required = { ARI_PASSWORD: 'ari-secret-value', OPENAI_API_KEY: 'sk-secret-value' };

function problemsOf(run: () => unknown): { key: string; reason: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

function tempFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'callbridge-config-')), 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('ships config/default.json equal to the schema defaults', () => {
    const fromSchema = convict(configSchema, { env: {}, args: [] }).getProperties();
    expect(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8'))).toEqual(fromSchema);
  });

  it('reads the documented environment variables', () => {
    const config = loadConfig({
      argv: [],
      env: {
        ...required,
        ARI_URL: 'http://pbx.example:8088/ari',
        ARI_USERNAME: 'gateway',
        ARI_APP: 'frontdesk',
        RTP_BIND: '10.0.0.5',
        RTP_ADVERTISE_HOST: 'gateway.internal',
        RTP_PORT_MIN: '30000',
        RTP_PORT_MAX: '30100',
        OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1',
        LOG_LEVEL: 'debug',
      },
    });
    expect(config.ari).toMatchObject({
      url: 'http://pbx.example:8088/ari',
      username: 'gateway',
      app: 'frontdesk',
    });
    expect(config.rtp).toMatchObject({
      bind: '10.0.0.5',
      advertiseHost: 'gateway.internal',
      portMin: 30000,
      portMax: 30100,
    });
    expect(config.openai.baseUrl).toBe('http://127.0.0.1:9999/v1');
    expect(config.log.level).toBe('debug');
    expect(Object.isFrozen(config.rtp)).toBe(true);
  });

  it('lets a config file override defaults and the environment override the file', () => {
    const file = tempFile(
      JSON.stringify({ rtp: { portMin: 40000, portMax: 40010 }, ari: { app: 'fromfile' } }),
    );
    const config = loadConfig({ argv: ['--config', file], env: { ...required, ARI_APP: 'fromenv' } });
    expect(config.rtp.portMin).toBe(40000);
    expect(config.ari.app).toBe('fromenv');
  });

  it('names the key and the reason for each invalid value', () => {
    const problems = problemsOf(() =>
      loadConfig({
        argv: [],
        env: { ...required, RTP_PORT_MIN: 'abc', ARI_URL: 'ftp://pbx', RTP_FORMAT: 'opus' },
      }),
    );
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['rtp.portMin', 'ari.url', 'rtp.format']));
    expect(problems.find((p) => p.key === 'ari.url')?.reason).toMatch(/http:\/\/ or https:\/\//);
  });

  it('requires the secrets without ever echoing them', () => {
    const problems = problemsOf(() => loadConfig({ argv: [], env: { ARI_PASSWORD: 'p' } }));
    expect(problems.map((p) => p.key)).toContain('openai.apiKey');
    const secretProblems = problemsOf(() =>
      loadConfig({ argv: [], env: { ...required, RTP_PORT_MIN: '70000', ARI_URL: 'not a url' } }),
    );
    expect(JSON.stringify(secretProblems)).not.toContain('secret-value');
    const described = JSON.stringify(describeConfig(loadConfig({ argv: [], env: required })));
    expect(described).not.toContain('secret-value');
  });

  it('rejects an inverted port range, an unknown setting and a missing or broken file', () => {
    expect(
      problemsOf(() =>
        loadConfig({ argv: [], env: { ...required, RTP_PORT_MIN: '30001', RTP_PORT_MAX: '30000' } }),
      ),
    ).toEqual([{ key: 'rtp.portMin', reason: 'must not exceed rtp.portMax (30000)' }]);
    expect(
      problemsOf(() => loadConfig({ argv: ['--config', tempFile('{"rtp":{"jitter":3}}')], env: required })),
    ).toEqual([{ key: 'rtp.jitter', reason: 'is not a known setting' }]);
    expect(
      problemsOf(() => loadConfig({ argv: [], env: { ...required, CONFIG_FILE: '/nonexistent/x.json' } }))[0]
        ?.reason,
    ).toMatch(/does not exist/);
    expect(
      problemsOf(() => loadConfig({ argv: ['--config', tempFile('{oops')], env: required }))[0]?.reason,
    ).toMatch(/not valid JSON/);
  });

  it('rejects an invalid cron schedule', () => {
    const problems = problemsOf(() =>
      loadConfig({ argv: [], env: { ...required, LEFTOVER_SWEEP_CRON: 'every minute' } }),
    );
    expect(problems[0]?.key).toBe('jobs.leftoverSweepCron');
  });
});

describe('configFileExposure', () => {
  it('warns when the config file can be read by other users, and not when it is private', async () => {
    const { chmodSync } = await import('node:fs');
    const { configFileExposure } = await import('../../../src/config/load-config.ts');
    const file = tempFile('{}');
    chmodSync(file, 0o644);
    expect(configFileExposure(file)).toMatch(/readable by other users \(mode 644\).*chmod 600/);
    chmodSync(file, 0o600);
    expect(configFileExposure(file)).toBeNull();
    expect(configFileExposure(undefined)).toBeNull();
  });
});
