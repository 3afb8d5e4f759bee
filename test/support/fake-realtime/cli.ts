// Runs the fake Realtime server in its own process (for benchmarks):
//   node test/support/fake-realtime/cli.ts --port 0 --first-audio-delay-ms 300
// Prints one JSON line {"baseUrl": ..., "port": ...} once listening; GET /_stats on the same port
// returns per-session timing JSON. Exits cleanly on SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { FakeRealtimeServer, type FakeRealtimeStartOptions } from './fake-realtime-server.ts';
import { realtimeStats } from './realtime-stats.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'first-audio-delay-ms': { type: 'string' },
    'delta-bytes': { type: 'string' },
    'delta-interval-ms': { type: 'string' },
    'api-key': { type: 'string' },
  },
});

function numberSetting(flag: string | undefined, envName: string): number | undefined {
  const text = flag ?? process.env[envName];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${envName}: expected a non-negative number, got '${text}'`);
  return value;
}

const options: FakeRealtimeStartOptions = {
  port: numberSetting(values.port, 'FAKE_REALTIME_PORT') ?? 0,
  firstAudioDelayMs: numberSetting(values['first-audio-delay-ms'], 'FAKE_REALTIME_FIRST_AUDIO_DELAY_MS'),
  deltaBytes: numberSetting(values['delta-bytes'], 'FAKE_REALTIME_DELTA_BYTES'),
  deltaIntervalMs: numberSetting(values['delta-interval-ms'], 'FAKE_REALTIME_DELTA_INTERVAL_MS'),
  apiKey: values['api-key'] ?? process.env['FAKE_REALTIME_API_KEY'],
};

const server = await FakeRealtimeServer.start(options);
server.onHttpRequest((req, res) => {
  if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://fake.invalid').pathname !== '/_stats')
    return false;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(realtimeStats(server)));
  return true;
});
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl, port: server.port })}\n`);

const shutdown = (): void => {
  void server.stop().then(() => {
    process.exitCode = 0;
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
