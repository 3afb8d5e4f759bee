// What `npm run bench:load` drives: callbridge or the bare relay, each in its own process.
import type { LoadCall } from './load-call.ts';
import type { ProbeMemory, ProbeWindow } from './process-probe.ts';

export type { ProbeMemory, ProbeWindow };

export interface LoadTarget {
  /** As printed in the report. */
  readonly name: string;
  /** In file names. */
  readonly slug: string;
  readonly pid: number;
  /** Sets up one call and starts its caller talking; resolves once the agent is heard. */
  placeCall(call: LoadCall, timeoutMs: number): Promise<void>;
  /** Hands frames heard since the last drain to their calls' ears. */
  drain(): void;
  /** The process's own instruments (process-probe.ts): a window starts (profiled into `profileFile`), ends. */
  windowStart(profileFile?: string): Promise<void>;
  windowEnd(): Promise<ProbeWindow | null>;
  /** Memory after a full GC; null if the process cannot say. */
  memory(): Promise<ProbeMemory | null>;
  /** Ends the calls; lines for the report about the run as the target saw it. */
  finish(): Promise<string[]>;
  stop(): Promise<void>;
}
