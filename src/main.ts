#!/usr/bin/env node
import { AgentsFileError } from './agents/agents-file.ts';
import {
  ConfigError,
  configFileExposure,
  configFileFrom,
  describeConfig,
  loadConfig,
} from './config/load-config.ts';
// callbridge daemon entry point: load config, connect to Asterisk, take calls until a signal.
import { Daemon } from './daemon.ts';
import { routeCronLogs } from './jobs/cron-logging.ts';
import { createLogger } from './observability/logger.ts';
import { CallStoreOpenError } from './store/open-call-store.ts';
import { AriConnectError } from './telephony/ari/ari-errors.ts';

const EXIT_CONFIG = 78;
const EXIT_UNAVAILABLE = 69;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ level: 'info', redactTranscripts: false }).fatal(
      { problems: error.problems },
      error.message,
    );
    process.exit(EXIT_CONFIG);
  }
  const log = createLogger(config.log);
  routeCronLogs(log);
  log.info({ config: describeConfig(config) }, 'starting callbridge');
  const exposure = configFileExposure(configFileFrom(process.argv.slice(2), process.env));
  if (exposure) log.warn(exposure);

  let daemon: Daemon;
  try {
    daemon = await Daemon.start(config, log);
  } catch (error) {
    if (error instanceof AriConnectError) {
      log.fatal({ url: error.url }, error.message);
      process.exit(EXIT_UNAVAILABLE);
    }
    if (error instanceof AgentsFileError) {
      log.fatal({ file: config.agents.file, problems: error.problems }, error.message);
      process.exit(EXIT_CONFIG);
    }
    if (error instanceof CallStoreOpenError) {
      log.fatal({ dataDir: error.dataDir }, error.message);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }

  // Installed only now: during start-up, ari-connect converts ari-client's stray exceptions itself.
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    daemon.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading the agents file');
    daemon.reloadAgents();
  });
}

main().catch((error: unknown) => {
  createLogger({ level: 'fatal', redactTranscripts: false }).fatal({ err: error }, 'start-up failed');
  process.exit(1);
});
