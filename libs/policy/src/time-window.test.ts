import { describe, expect, it } from 'vitest';
import { isTimeZone, parseClockTime, TimeWindow, ZoneClock } from './time-window.ts';

const ms = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('time window', () => {
  it('ZoneClock - reports the local minute of the week, Monday 00:00 being 0', () => {
    expect(new ZoneClock('UTC').minuteOfWeek(ms('2025-01-20T00:00:00Z'))).toBe(0);
    expect(new ZoneClock('UTC').minuteOfWeek(ms('2025-01-19T23:59:59Z'))).toBe(7 * 1440 - 1);
    // 2025-01-20 00:30 UTC is Sunday 19:30 in New York.
    expect(new ZoneClock('America/New_York').minuteOfWeek(ms('2025-01-20T00:30:00Z'))).toBe(
      6 * 1440 + 19 * 60 + 30,
    );
    // India is UTC+05:30.
    expect(new ZoneClock('Asia/Kolkata').minuteOfWeek(ms('2025-01-20T00:00:00Z'))).toBe(5 * 60 + 30);
  });

  it('isTimeZone - accepts IANA names and rejects unknown ones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
  });

  it('parseClockTime - turns HH:MM into minutes after midnight', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('08:30')).toBe(510);
    expect(parseClockTime('24:00')).toBe(1440);
  });

  it('msUntilChange - is the time to the next edge of the window, in either direction', () => {
    const window = new TimeWindow(new ZoneClock('UTC'), undefined, 8 * 60, 18 * 60);
    expect(window.msUntilChange(ms('2025-01-15T17:59:00.250Z'), HOUR)).toBe(59_750);
    expect(window.msUntilChange(ms('2025-01-15T07:00:00Z'), HOUR)).toBe(HOUR);
    expect(window.msUntilChange(ms('2025-01-15T07:00:00Z'), 2 * HOUR)).toBe(HOUR);
    expect(window.msUntilChange(ms('2025-01-15T12:00:00Z'), HOUR)).toBe(HOUR);
    expect(window.msUntilChange(ms('2025-01-15T12:00:00Z'), 0)).toBe(0);
  });

  it('msUntilChange - skips edges that do not change the answer', () => {
    // Weekdays, all day: midnight between Monday and Tuesday changes nothing; Friday midnight does.
    const weekdays = new TimeWindow(
      new ZoneClock('UTC'),
      ['mon', 'tue', 'wed', 'thu', 'fri'],
      undefined,
      undefined,
    );
    expect(weekdays.msUntilChange(ms('2025-01-20T23:00:00Z'), 24 * HOUR)).toBe(24 * HOUR);
    expect(weekdays.msUntilChange(ms('2025-01-24T23:00:00Z'), 24 * HOUR)).toBe(HOUR);
    // 22:00-06:00 every day: midnight is inside the window, the next change is 06:00.
    const night = new TimeWindow(new ZoneClock('UTC'), undefined, 22 * 60, 6 * 60);
    expect(night.msUntilChange(ms('2025-01-15T23:00:00Z'), 24 * HOUR)).toBe(7 * HOUR);
  });

  it('msUntilChange - follows the local clock of the zone', () => {
    // Window 09:00-17:00 Berlin (UTC+1 in January): opens at 08:00 UTC.
    const window = new TimeWindow(new ZoneClock('Europe/Berlin'), undefined, 9 * 60, 17 * 60);
    expect(window.msUntilChange(ms('2025-01-15T07:30:00Z'), 2 * HOUR)).toBe(30 * MINUTE);
  });

  it('msUntilChange - never reaches past a DST change it cannot account for', () => {
    // Berlin springs forward on 2025-03-30 at 01:00 UTC (02:00 local becomes 03:00). A window
    // opening at 03:00 local opens at 01:00 UTC: 30 minutes after 00:30 UTC, not 90.
    const window = new TimeWindow(new ZoneClock('Europe/Berlin'), undefined, 3 * 60, 4 * 60);
    const now = ms('2025-03-30T00:30:00Z');
    expect(window.contains(now)).toBe(false);
    expect(window.contains(ms('2025-03-30T01:00:00Z'))).toBe(true);
    // The offset changes within the cap, so the answer is trusted only to the end of this minute.
    expect(window.msUntilChange(now, 2 * HOUR)).toBe(MINUTE);
    // Thirty seconds before the jump the window opens in thirty seconds.
    expect(window.msUntilChange(ms('2025-03-30T00:59:30Z'), HOUR)).toBe(30_000);
  });
});
