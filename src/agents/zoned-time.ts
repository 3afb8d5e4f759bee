// Wall-clock time in an IANA time zone with nothing but Intl. A "wall" value is the local date and
// time written as if it were UTC milliseconds, so local days and minutes are plain arithmetic.

import { WEEKDAYS, type Weekday } from './agent-definition.ts';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall time at `instantMs`, as UTC milliseconds. */
export function wallClockMs(timeZone: string, instantMs: number): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(wholeSecond)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    fields['year'] ?? 1970,
    (fields['month'] ?? 1) - 1,
    fields['day'] ?? 1,
    fields['hour'] ?? 0,
    fields['minute'] ?? 0,
    fields['second'] ?? 0,
  );
  return local + (instantMs - wholeSecond);
}

export function offsetMs(timeZone: string, instantMs: number): number {
  return wallClockMs(timeZone, instantMs) - instantMs;
}

/**
 * The first instant in (fromMs, limitMs] at which the zone's UTC offset differs from the offset
 * at fromMs, or null. Steps a day at a time (zones change offset at most once a day), then
 * bisects to the millisecond.
 */
export function nextOffsetChange(timeZone: string, fromMs: number, limitMs: number): number | null {
  const offset = offsetMs(timeZone, fromMs);
  let low = fromMs;
  while (low < limitMs) {
    const high = Math.min(low + DAY_MS, limitMs);
    if (offsetMs(timeZone, high) !== offset) return bisect(timeZone, offset, low, high);
    low = high;
  }
  return null;
}

function bisect(timeZone: string, offset: number, low: number, high: number): number {
  let same = low;
  let changed = high;
  while (changed - same > 1) {
    const middle = Math.floor((same + changed) / 2);
    if (offsetMs(timeZone, middle) === offset) same = middle;
    else changed = middle;
  }
  return changed;
}

export function epochDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

export function weekdayOf(day: number): Weekday {
  // 1970-01-01 was a Thursday, index 3 with Monday first.
  return WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;
}

/** YYYY-MM-DD of a local day. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** HH:MM of a wall time. */
export function clockText(wallMs: number): string {
  return minutesText(Math.floor((wallMs - epochDay(wallMs) * DAY_MS) / MINUTE_MS));
}

/** HH:MM of minutes after midnight; 1440 is "24:00". */
export function minutesText(minutes: number): string {
  const hours = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${hours}:${String(minutes % 60).padStart(2, '0')}`;
}

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** "Tuesday 2026-03-10 10:42": the local time an agent says. */
export function localTimeText(timeZone: string, instantMs: number): string {
  const wall = wallClockMs(timeZone, instantMs);
  const day = epochDay(wall);
  return `${WEEKDAY_NAMES[weekdayOf(day)]} ${isoDate(day)} ${clockText(wall)}`;
}
