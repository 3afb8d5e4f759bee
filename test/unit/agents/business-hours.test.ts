import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../../src/agents/agent-definition.ts';
import { Problems } from '../../../src/agents/agents-file-checks.ts';
import { businessHoursSentence, openState } from '../../../src/agents/business-hours.ts';
import { validateBusinessHours } from '../../../src/agents/business-hours-validator.ts';

function hours(
  timezone: string,
  weekly: Record<string, string[]>,
  closedDates: string[] = [],
): BusinessHours {
  const problems = new Problems();
  const valid = validateBusinessHours({ timezone, weekly, closedDates }, 'businessHours', problems);
  if (valid === null) throw new Error(JSON.stringify(problems.list));
  return valid;
}

const weekdays = ['09:00-12:30', '13:30-17:00'];
const office = hours('America/New_York', {
  mon: weekdays,
  tue: weekdays,
  wed: weekdays,
  thu: weekdays,
  fri: weekdays,
});

function stateAt(
  h: BusinessHours,
  iso: string,
): { open: boolean; next: string | null; today: string; local: string } {
  const state = openState(h, new Date(iso));
  return {
    open: state.open,
    next: state.nextChange?.toISOString() ?? null,
    today: state.todayHours,
    local: state.localTime,
  };
}

describe('openState', () => {
  it('is open inside a range and changes at its end', () => {
    // Tuesday 10:42 EDT.
    expect(stateAt(office, '2026-03-10T14:42:00Z')).toEqual({
      open: true,
      next: '2026-03-10T16:30:00.000Z',
      today: '09:00–12:30, 13:30–17:00',
      local: 'Tuesday 2026-03-10 10:42',
    });
  });

  it('counts the start of a range as open and its end as closed', () => {
    expect(stateAt(office, '2026-03-10T13:00:00Z').open).toBe(true);
    expect(stateAt(office, '2026-03-10T12:59:59.999Z').open).toBe(false);
    expect(stateAt(office, '2026-03-10T16:30:00Z')).toMatchObject({
      open: false,
      next: '2026-03-10T17:30:00.000Z',
    });
  });

  it('is closed over the weekend until Monday morning', () => {
    expect(stateAt(office, '2026-03-13T21:00:00Z')).toMatchObject({
      open: false,
      next: '2026-03-16T13:00:00.000Z',
    });
    expect(stateAt(office, '2026-03-14T15:00:00Z')).toMatchObject({ open: false, today: 'closed' });
  });

  it('opens at 09:00 local after the clocks go forward', () => {
    // Saturday 2026-03-07 18:00 EST; DST starts Sunday 02:00; Monday 09:00 EDT is 13:00Z, not 14:00Z.
    expect(stateAt(office, '2026-03-07T23:00:00Z').next).toBe('2026-03-09T13:00:00.000Z');
  });

  it('opens at 09:00 local after the clocks go back', () => {
    // Friday 2026-10-30 17:30 EDT; DST ends Sunday 02:00; Monday 09:00 EST is 14:00Z.
    expect(stateAt(office, '2026-10-30T21:30:00Z').next).toBe('2026-11-02T14:00:00.000Z');
  });

  it('joins a range ending at 24:00 with the next day starting at 00:00', () => {
    const nights = hours('America/New_York', { sat: ['22:00-24:00'], sun: ['00:00-06:00'] });
    // Saturday 23:00 EST, the night the clocks go forward: open until Sunday 06:00 EDT (10:00Z).
    expect(stateAt(nights, '2026-03-08T04:00:00Z')).toMatchObject({
      open: true,
      next: '2026-03-08T10:00:00.000Z',
    });
    expect(stateAt(nights, '2026-03-08T10:00:00Z')).toMatchObject({
      open: false,
      next: '2026-03-15T02:00:00.000Z',
    });
  });

  it('closes when the clocks jump over a closing time', () => {
    const late = hours('America/New_York', { sun: ['00:00-02:30'] });
    // 01:00 EST; at 07:00Z the clock jumps from 02:00 to 03:00, past 02:30.
    expect(stateAt(late, '2026-03-08T06:00:00Z')).toMatchObject({
      open: true,
      next: '2026-03-08T07:00:00.000Z',
    });
  });

  it('follows the wall clock through the hour that repeats when the clocks go back', () => {
    const early = hours('America/New_York', { sun: ['00:00-01:30'] });
    // 00:30 EDT → closes at 01:30 EDT (05:30Z); at 06:00Z the clock shows 01:00 EST again → open
    // until 01:30 EST (06:30Z).
    expect(stateAt(early, '2026-11-01T04:30:00Z')).toMatchObject({
      open: true,
      next: '2026-11-01T05:30:00.000Z',
    });
    expect(stateAt(early, '2026-11-01T05:30:00Z')).toMatchObject({
      open: false,
      next: '2026-11-01T06:00:00.000Z',
    });
    expect(stateAt(early, '2026-11-01T06:00:00Z')).toMatchObject({
      open: true,
      next: '2026-11-01T06:30:00.000Z',
    });
  });

  it('keeps closed dates closed all day', () => {
    const holidays = hours(
      'Europe/Berlin',
      { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
      ['2026-12-25'],
    );
    // Thursday 2026-12-24 17:30 CET → Friday is a holiday → Monday 09:00 CET (08:00Z).
    expect(stateAt(holidays, '2026-12-24T16:30:00Z')).toMatchObject({
      open: false,
      next: '2026-12-28T08:00:00.000Z',
    });
    expect(stateAt(holidays, '2026-12-25T10:00:00Z')).toMatchObject({ open: false, today: 'closed' });
  });

  it('has no next change when it never opens or never closes', () => {
    expect(stateAt(hours('UTC', {}), '2026-03-10T10:00:00Z')).toMatchObject({ open: false, next: null });
    const always = ['00:00-24:00'];
    const allDay = hours('Asia/Tokyo', {
      mon: always,
      tue: always,
      wed: always,
      thu: always,
      fri: always,
      sat: always,
      sun: always,
    });
    expect(stateAt(allDay, '2026-03-10T10:00:00Z')).toMatchObject({
      open: true,
      next: null,
      today: '00:00–24:00',
    });
  });

  it('uses the time zone of the hours, south of the equator too', () => {
    // Sydney leaves DST on Sunday 2026-04-05 03:00 → 02:00; Monday 09:00 AEST is Sunday 23:00Z.
    const sydney = hours('Australia/Sydney', { mon: ['09:00-17:00'] });
    expect(stateAt(sydney, '2026-04-03T00:00:00Z')).toMatchObject({
      open: false,
      next: '2026-04-05T23:00:00.000Z',
    });
  });
});

describe('businessHoursSentence', () => {
  it('says the office is open with today’s hours', () => {
    expect(businessHoursSentence(office, new Date('2026-03-10T14:42:00Z'))).toBe(
      'It is Tuesday 2026-03-10 10:42 in America/New_York; the office is open now (today 09:00–12:30, 13:30–17:00).',
    );
  });

  it('says when a closed office opens again: today, a weekday, or a date beyond a week', () => {
    expect(businessHoursSentence(office, new Date('2026-03-10T16:45:00Z'))).toBe(
      'It is Tuesday 2026-03-10 12:45 in America/New_York; the office is closed now (today 09:00–12:30, 13:30–17:00); it opens again today at 13:30.',
    );
    expect(businessHoursSentence(office, new Date('2026-03-14T15:00:00Z'))).toBe(
      'It is Saturday 2026-03-14 11:00 in America/New_York; the office is closed now; it opens again Monday at 09:00.',
    );
    const holiday = hours('America/New_York', { mon: weekdays, tue: weekdays }, ['2026-12-28', '2026-12-29']);
    expect(businessHoursSentence(holiday, new Date('2026-12-22T23:00:00Z'))).toBe(
      'It is Tuesday 2026-12-22 18:00 in America/New_York; the office is closed now (today 09:00–12:30, 13:30–17:00); it opens again Monday 2027-01-04 at 09:00.',
    );
  });

  it('says when no opening hours are scheduled', () => {
    expect(businessHoursSentence(hours('UTC', {}), new Date('2026-03-10T10:00:00Z'))).toBe(
      'It is Tuesday 2026-03-10 10:00 in UTC; the office is closed now; no opening hours are scheduled.',
    );
  });
});
