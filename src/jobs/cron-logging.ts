// node-cron writes its own notices (e.g. a missed run) to the console; send them to our log.
import cron from 'node-cron';
import type { Logger } from '../observability/logger.ts';

export function routeCronLogs(log: Logger): void {
  const jobs = log.child({ component: 'cron' });
  cron.setLogger({
    info: (message) => jobs.debug(message),
    warn: (message) => jobs.warn(message),
    error: (message, err) => jobs.error({ err }, String(message)),
    debug: (message, err) => jobs.debug({ err }, String(message)),
  });
}
