// Epoch milliseconds with sub-millisecond precision, comparable across processes on one machine.
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
