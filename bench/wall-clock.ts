// The clock both fakes stamp their records with: epoch ms with sub-millisecond precision,
// comparable across the benchmark's processes.
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
