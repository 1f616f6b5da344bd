/** Days of the week as a policy names them, Monday first (the list index is the day number). */
export const Weekday = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One of {@link Weekday}. */
export type Weekday = (typeof Weekday)[number];

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const INTL_WEEKDAYS: Readonly<Record<string, number>> = {
  Mon: 0,
  Tue: 1,
  Wed: 2,
  Thu: 3,
  Fri: 4,
  Sat: 5,
  Sun: 6,
};
// Bounds the per-zone cache; a handful of distinct minutes are live at once (now, now + TTL).
const CLOCK_CACHE_LIMIT = 16;

/** True when `name` is a time zone this runtime's Intl knows (IANA names such as `Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Local wall-clock time in one time zone, as minute of the week (Monday 00:00 is 0). Intl costs a
 * few microseconds per call, so results are cached per UTC minute: every zone in use today has an
 * offset in whole minutes, so the local minute is constant within a UTC minute.
 */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  /** @throws RangeError for a time zone Intl does not know. */
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  /** Local minute of the week at `epochMs`. */
  minuteOfWeek(epochMs: number): number {
    const utcMinute = Math.floor(epochMs / MINUTE_MS);
    const cached = this.cache.get(utcMinute);
    if (cached !== undefined) return cached;
    let day = 0;
    let hour = 0;
    let minute = 0;
    for (const part of this.format.formatToParts(epochMs)) {
      if (part.type === 'weekday') day = INTL_WEEKDAYS[part.value] ?? 0;
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
    }
    const value = day * DAY_MINUTES + hour * 60 + minute;
    if (this.cache.size >= CLOCK_CACHE_LIMIT) this.cache.clear();
    this.cache.set(utcMinute, value);
    return value;
  }
}

/** Parses `HH:MM` (the schema checked the form) into minutes after midnight. */
export function parseClockTime(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/**
 * A weekly window: local days and a local `[start, end)` time range, where a start after the end
 * spans midnight. Days and time are checked independently against the local time of the request,
 * so `days: [fri], between: ['22:00', '06:00']` holds on Friday from 00:00 to 06:00 and from 22:00.
 */
export class TimeWindow {
  private readonly days: readonly boolean[] | undefined;

  constructor(
    private readonly clock: ZoneClock,
    days: readonly Weekday[] | undefined,
    /** Minutes after midnight, or undefined for the whole day. */
    private readonly start: number | undefined,
    /** Minutes after midnight (1440 for 24:00). */
    private readonly end: number | undefined,
  ) {
    this.days = days === undefined ? undefined : Weekday.map((day) => days.includes(day));
  }

  /** True when `epochMs` lies inside the window. */
  contains(epochMs: number): boolean {
    return this.containsMinute(this.clock.minuteOfWeek(epochMs));
  }

  /**
   * Milliseconds from `epochMs` until the window's answer can next change, capped at `capMs`
   * (which must not exceed a day): how long a decision that depended on the window stays right.
   */
  msUntilChange(epochMs: number, capMs: number): number {
    const here = this.clock.minuteOfWeek(epochMs);
    const intoMinute = epochMs - Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
    const toNextMinute = MINUTE_MS - intoMinute;
    // The wall clock must advance exactly as UTC over the cap; otherwise an offset change (DST)
    // lies inside and wall-clock arithmetic would be wrong, so trust only the current minute.
    const utcMinutes = Math.floor((epochMs + capMs) / MINUTE_MS) - Math.floor(epochMs / MINUTE_MS);
    const wallMinutes = mod(this.clock.minuteOfWeek(epochMs + capMs) - here, WEEK_MINUTES);
    if (wallMinutes !== utcMinutes % WEEK_MINUTES) return Math.min(capMs, toNextMinute);
    const inside = this.containsMinute(here);
    let at = here;
    for (;;) {
      at = this.nextEdge(at);
      const untilEdge = (at - here - 1) * MINUTE_MS + toNextMinute;
      if (untilEdge >= capMs) return capMs;
      if (this.containsMinute(at % WEEK_MINUTES) !== inside) return untilEdge;
    }
  }

  private containsMinute(minuteOfWeek: number): boolean {
    const day = Math.floor(minuteOfWeek / DAY_MINUTES);
    if (this.days !== undefined && !this.days[day]) return false;
    if (this.start === undefined || this.end === undefined) return true;
    const minute = minuteOfWeek - day * DAY_MINUTES;
    return this.start < this.end
      ? minute >= this.start && minute < this.end
      : minute >= this.start || minute < this.end;
  }

  /** The next minute (unwrapped, > `at`) at which the answer may change: midnight, start or end. */
  private nextEdge(at: number): number {
    const dayStart = at - mod(at, DAY_MINUTES);
    const minute = at - dayStart;
    let next = DAY_MINUTES;
    if (this.start !== undefined && this.start > minute && this.start < next) next = this.start;
    if (this.end !== undefined && this.end > minute && this.end < next) next = this.end;
    return dayStart + next;
  }
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
