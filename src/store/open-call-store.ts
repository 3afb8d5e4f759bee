// The one place that knows which database backs the call store; everything else sees CallStore.
import type { CallStore } from './call-store.ts';
import { SqliteCallStore } from './sqlite-call-store.ts';

export interface CallStoreLocation {
  /** Directory of the store's file(s); created (mode 0700) unless mustExist. */
  dataDir: string;
  /** For tools that only read: throw CallStoreMissingError instead of creating an empty store. */
  mustExist?: boolean;
}

/** The store could not be opened; the message names the directory and the cause. */
export class CallStoreOpenError extends Error {
  readonly dataDir: string;
  constructor(dataDir: string, cause: unknown) {
    super(
      `cannot open the call store in ${dataDir}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'CallStoreOpenError';
    this.dataDir = dataDir;
  }
}

export function openCallStore(location: CallStoreLocation): CallStore {
  try {
    return SqliteCallStore.open(location.dataDir, { mustExist: location.mustExist ?? false });
  } catch (error) {
    throw new CallStoreOpenError(location.dataDir, error);
  }
}
