// Time as the fake reports it. Epoch milliseconds from the high-resolution clock so that records
// made here compare with those of other processes; ARI timestamps in Asterisk's own format.

/** Epoch milliseconds as a float (sub-millisecond), comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2026-11-21T22:29:39.707+0000`: what Asterisk puts in `timestamp` and `creationtime` (UTC host). */
export function asteriskTimestamp(epochMs: number = Date.now()): string {
  const d = new Date(epochMs);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}
