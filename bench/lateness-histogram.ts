// How late a target's outbound frames left against their own deadlines, as the target itself saw
// it (no benchmark-process stalls in it): callbridge's callbridge_outbound_frame_lateness_ms
// histogram from its /metrics, the bare relay's own count with the same buckets.

/** Cumulative counts per upper bound, Prometheus-style; the last bound is Infinity. */
export interface LatenessHistogram {
  le: number[];
  cumulative: number[];
}

/** callbridge's bucket bounds (src/observability/gateway-metrics.ts), for the relay's own count. */
export const LATENESS_BOUNDS = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 50, Number.POSITIVE_INFINITY];

/** Counts frame lateness into LATENESS_BOUNDS buckets (non-cumulative until snapshot()). */
export class LatenessCounter {
  readonly #counts = new Float64Array(LATENESS_BOUNDS.length);

  observe(lateMs: number): void {
    let i = 0;
    while (lateMs > LATENESS_BOUNDS[i]!) i++;
    this.#counts[i]!++;
  }

  snapshot(): LatenessHistogram {
    let sum = 0;
    return { le: [...LATENESS_BOUNDS], cumulative: [...this.#counts].map((n) => (sum += n)) };
  }
}

/** The histogram `name` in a Prometheus text exposition; null if it is not there. */
export function parseHistogram(text: string, name: string): LatenessHistogram | null {
  const buckets: [number, number][] = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(pattern)) {
    const le = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
    buckets.push([le, Number(match[2])]);
  }
  if (buckets.length === 0) return null;
  buckets.sort((a, b) => a[0] - b[0]);
  return { le: buckets.map(([le]) => le), cumulative: buckets.map(([, n]) => n) };
}

/** What was counted between two snapshots of the same histogram. */
export function histogramDelta(before: LatenessHistogram, after: LatenessHistogram): LatenessHistogram {
  return { le: after.le, cumulative: after.cumulative.map((n, i) => n - (before.cumulative[i] ?? 0)) };
}

export function histogramCount(h: LatenessHistogram): number {
  return h.cumulative.at(-1) ?? 0;
}

/** The smallest bucket bound at or under which `fraction` of the frames left. */
export function histogramQuantileBound(h: LatenessHistogram, fraction: number): number {
  const total = histogramCount(h);
  if (total === 0) return Number.NaN;
  const index = h.cumulative.findIndex((n) => n >= fraction * total);
  return h.le[index] ?? Number.NaN;
}

/** Share of frames that left more than `ms` late (`ms` must be a bucket bound). */
export function histogramShareAbove(h: LatenessHistogram, ms: number): number {
  const total = histogramCount(h);
  const index = h.le.indexOf(ms);
  if (total === 0 || index < 0) return Number.NaN;
  return 1 - h.cumulative[index]! / total;
}
