// Deletes caller memory and call records older than their configured retention, on a node-cron
// schedule. A retention of 0 days keeps that kind forever.
import type { Logger } from '../observability/logger.ts';
import type { CallStore } from '../store/call-store.ts';

export interface RetentionSettings {
  memoryDays: number;
  recordsDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function enforceRetention(
  store: CallStore,
  settings: RetentionSettings,
  log: Logger,
  now = Date.now(),
): Promise<{ memories: number; calls: number }> {
  const result = { memories: 0, calls: 0 };
  try {
    if (settings.memoryDays > 0) {
      result.memories = await store.purgeMemory(new Date(now - settings.memoryDays * DAY_MS).toISOString());
    }
    if (settings.recordsDays > 0) {
      result.calls = await store.purgeCalls(new Date(now - settings.recordsDays * DAY_MS).toISOString());
    }
    if (result.memories + result.calls > 0) log.info(result, 'retention: expired data deleted');
  } catch (error) {
    log.error({ cause: (error as Error).message }, 'retention job failed');
  }
  return result;
}
