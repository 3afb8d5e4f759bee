// businessHours of one agent: an IANA time zone Intl knows, HH:MM-HH:MM ranges per weekday (a
// missing or empty day is closed; end after start; "24:00" closes at midnight; no overlaps) and
// closed local dates.

import { type BusinessHours, type TimeRange, WEEKDAYS, type Weekday } from './agent-definition.ts';
import {
  indexPath,
  isMapping,
  keyPath,
  listAt,
  mappingAt,
  type Problems,
  requiredString,
  stringValue,
} from './agents-file-checks.ts';
import { isKnownTimeZone } from './zoned-time.ts';

const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function validateBusinessHours(
  value: unknown,
  path: string,
  problems: Problems,
): BusinessHours | null {
  const hours = mappingAt(value, path, ['timezone', 'weekly', 'closedDates'], problems);
  if (hours === null) return null;
  const before = problems.count;

  const timezone = requiredString(hours, 'timezone', path, problems);
  if (timezone !== null && !isKnownTimeZone(timezone)) {
    problems.add(keyPath(path, 'timezone'), `unknown time zone "${timezone}"`);
  }

  const weekly = weeklyRanges(hours['weekly'], keyPath(path, 'weekly'), problems);
  const closedDates = closedDateList(hours['closedDates'], keyPath(path, 'closedDates'), problems);
  if (problems.count > before || timezone === null) return null;
  return { timezone, weekly, closedDates };
}

function weeklyRanges(value: unknown, path: string, problems: Problems): Record<Weekday, TimeRange[]> {
  const weekly: Record<Weekday, TimeRange[]> = {
    mon: [],
    tue: [],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  };
  if (value === undefined) {
    problems.add(path, 'is required (list the opening ranges of each open day)');
    return weekly;
  }
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping of days (mon … sun) to lists of ranges');
    return weekly;
  }
  for (const [day, ranges] of Object.entries(value)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.add(keyPath(path, day), `unknown day (${WEEKDAYS.join(', ')})`);
      continue;
    }
    // `sun:` with nothing after it reads as null in YAML: a closed day, like `sun: []`.
    if (ranges === null) continue;
    weekly[day as Weekday] = dayRanges(ranges, keyPath(path, day), problems);
  }
  return weekly;
}

function dayRanges(value: unknown, path: string, problems: Problems): TimeRange[] {
  const list = listAt(value, path, problems);
  if (list === null) return [];
  const ranges: { range: TimeRange; index: number }[] = [];
  list.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    const text = stringValue(item, itemPath, problems);
    if (text === null) return;
    const range = parseRange(text);
    if (typeof range === 'string') problems.add(itemPath, range);
    else ranges.push({ range, index });
  });
  ranges.sort((a, b) => a.range.startMinute - b.range.startMinute);
  for (let i = 1; i < ranges.length; i += 1) {
    const previous = ranges[i - 1]!;
    const current = ranges[i]!;
    if (current.range.startMinute < previous.range.endMinute) {
      const later = Math.max(previous.index, current.index);
      const earlier = later === current.index ? previous : current;
      problems.add(indexPath(path, later), `"${list[later]}" overlaps "${earlier.range.text}"`);
    }
  }
  return ranges.map((r) => r.range);
}

function parseRange(text: string): TimeRange | string {
  const match = RANGE.exec(text);
  const invalid = `invalid range "${text}": expected HH:MM-HH:MM, 24-hour`;
  if (match === null) return invalid;
  const start = minutesOf(match[1]!, match[2]!);
  const end = minutesOf(match[3]!, match[4]!);
  if (start === null || end === null || start === 1440) return invalid;
  if (end <= start) return `invalid range "${text}": the end must be after the start`;
  return { startMinute: start, endMinute: end, text };
}

function minutesOf(hours: string, minutes: string): number | null {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

function closedDateList(value: unknown, path: string, problems: Problems): string[] {
  if (value === undefined || value === null) return [];
  const list = listAt(value, path, problems);
  if (list === null) return [];
  const dates = new Set<string>();
  list.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    const text = stringValue(item, itemPath, problems);
    if (text === null) return;
    if (!isCalendarDate(text)) problems.add(itemPath, `invalid date "${text}": expected YYYY-MM-DD`);
    else dates.add(text);
  });
  return [...dates].sort();
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
