// Is the office open, in the agent's time zone? Opening is decided by the local wall clock: a day's
// ranges apply to the times its clock shows, so across a DST change "09:00-17:00" still means
// nine to five local time. A range may end at 24:00 and the next day's may start at 00:00; they
// join into one opening that runs overnight.

import type { BusinessHours, TimeRange } from './agent-definition.ts';
import {
  DAY_MS,
  epochDay,
  isoDate,
  localTimeText,
  MINUTE_MS,
  minutesText,
  nextOffsetChange,
  offsetMs,
  WEEKDAY_NAMES,
  wallClockMs,
  weekdayOf,
} from './zoned-time.ts';

export interface OpenState {
  open: boolean;
  /** Today's ranges, "09:00–12:30, 13:30–17:00", or "closed". */
  todayHours: string;
  /** When `open` next flips; null when it never does within a year. */
  nextChange: Date | null;
  /** "Tuesday 2026-03-10 10:42", local. */
  localTime: string;
}

/** How far ahead a next change is looked for: a year and a week, so a long closure still ends. */
const HORIZON_DAYS = 372;

export function openState(hours: BusinessHours, now: Date): OpenState {
  const nowMs = now.getTime();
  const wall = wallClockMs(hours.timezone, nowMs);
  const today = rangesOn(hours, epochDay(wall));
  const open = isOpenAtWall(hours, wall);
  const nextChange = findNextChange(hours, nowMs, open);
  return {
    open,
    todayHours: today.length === 0 ? 'closed' : today.map(rangeText).join(', '),
    nextChange: nextChange === null ? null : new Date(nextChange),
    localTime: localTimeText(hours.timezone, nowMs),
  };
}

/**
 * For the model: "It is Tuesday 2026-03-10 10:42 in America/New_York; the office is open now
 * (today 09:00–12:30, 13:30–17:00)." or "…; the office is closed now; it opens again Wednesday at
 * 09:00."
 */
export function businessHoursSentence(hours: BusinessHours, now: Date): string {
  const state = openState(hours, now);
  const start = `It is ${state.localTime} in ${hours.timezone}; the office is`;
  const today = state.todayHours === 'closed' ? '' : ` (today ${state.todayHours})`;
  if (state.open) return `${start} open now${today}.`;
  if (state.nextChange === null) return `${start} closed now${today}; no opening hours are scheduled.`;
  return `${start} closed now${today}; it opens again ${whenText(hours, now, state.nextChange)}.`;
}

function whenText(hours: BusinessHours, now: Date, at: Date): string {
  const nowDay = epochDay(wallClockMs(hours.timezone, now.getTime()));
  const atWall = wallClockMs(hours.timezone, at.getTime());
  const atDay = epochDay(atWall);
  const time = minutesText(Math.floor((atWall - atDay * DAY_MS) / MINUTE_MS));
  const weekday = WEEKDAY_NAMES[weekdayOf(atDay)];
  if (atDay === nowDay) return `today at ${time}`;
  if (atDay - nowDay < 7) return `${weekday} at ${time}`;
  return `${weekday} ${isoDate(atDay)} at ${time}`;
}

function rangeText(range: TimeRange): string {
  return `${minutesText(range.startMinute)}–${minutesText(range.endMinute)}`;
}

function rangesOn(hours: BusinessHours, day: number): readonly TimeRange[] {
  if (hours.closedDates.includes(isoDate(day))) return [];
  return hours.weekly[weekdayOf(day)];
}

function isOpenAtWall(hours: BusinessHours, wall: number): boolean {
  const day = epochDay(wall);
  const minute = (wall - day * DAY_MS) / MINUTE_MS;
  return rangesOn(hours, day).some((r) => r.startMinute <= minute && minute < r.endMinute);
}

/** The first wall time after `wall` at which the opening changes, or null within the horizon. */
function nextWallBoundary(hours: BusinessHours, wall: number): number | null {
  const first = epochDay(wall);
  const edges: number[] = [];
  for (let day = first; day <= first + HORIZON_DAYS; day += 1) {
    for (const range of rangesOn(hours, day)) {
      const start = day * DAY_MS + range.startMinute * MINUTE_MS;
      const end = day * DAY_MS + range.endMinute * MINUTE_MS;
      // An opening that starts where the previous one ended is no change.
      if (edges.length > 0 && edges[edges.length - 1] === start) edges[edges.length - 1] = end;
      else edges.push(start, end);
    }
  }
  return edges.find((edge) => edge > wall) ?? null;
}

/**
 * Walks forward through stretches of constant UTC offset. Within one, wall time runs with real
 * time, so the next wall boundary maps straight to an instant; at a DST change the wall clock
 * jumps, and the jump itself is the change if it lands on the other state.
 */
function findNextChange(hours: BusinessHours, nowMs: number, open: boolean): number | null {
  const limit = nowMs + HORIZON_DAYS * DAY_MS;
  let from = nowMs;
  while (from < limit) {
    const offset = offsetMs(hours.timezone, from);
    const boundary = nextWallBoundary(hours, from + offset);
    const candidate = boundary === null ? limit : Math.min(boundary - offset, limit);
    const jump = nextOffsetChange(hours.timezone, from, candidate);
    if (jump === null) return boundary === null || boundary - offset > limit ? null : boundary - offset;
    if (isOpenAtWall(hours, wallClockMs(hours.timezone, jump)) !== open) return jump;
    from = jump;
  }
  return null;
}
