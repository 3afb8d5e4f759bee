// How the scenario waits and checks: a wait that times out becomes a ScenarioError naming what
// did not happen, and what the caller heard is sliced by time.

import type { LogLine } from '../../test/support/daemon-harness.ts';
import type { HeardPacket } from '../../test/support/fake-asterisk/fake-asterisk.ts';

/** Something the scenario expected did not happen; the message says what. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Waits for `promise`; if it fails, the scenario fails saying `what` did not happen. */
export async function expectStage<T>(what: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw new ScenarioError(`${what} did not happen (${error instanceof Error ? error.message : error})`);
  }
}

export function check(condition: boolean, failure: () => string): void {
  if (!condition) throw new ScenarioError(failure());
}

/** Packets that reached the caller at or after `from` and before `to` (epoch ms). */
export function heardBetween(heard: readonly HeardPacket[], from: number, to = Infinity): HeardPacket[] {
  return heard.filter((packet) => packet.at >= from && packet.at < to);
}

/** Milliseconds of G.711 audio in these packets. */
export function audioMs(packets: readonly HeardPacket[]): number {
  return packets.reduce((sum, packet) => sum + packet.payload.length, 0) / 8;
}

/** A typed field of a daemon log line. */
export function field<T>(line: LogLine, name: string, guard: (value: unknown) => value is T): T {
  const value = line[name];
  if (!guard(value)) throw new ScenarioError(`the daemon's '${line.msg}' log line has no usable '${name}'`);
  return value;
}

export const isNumber = (value: unknown): value is number => typeof value === 'number';
export const isString = (value: unknown): value is string => typeof value === 'string';
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The transcript text of an 'agent said' / 'caller said' line. */
export function transcriptOf(line: LogLine): string {
  const transcript = field(line, 'transcript', isRecord);
  const text = transcript['text'];
  return typeof text === 'string' ? text : '(no text)';
}
