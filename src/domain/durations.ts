/**
 * ISO 8601 durations (`P3D`, `PT10S`, `P1Y2M3DT4H5M6.5S`, `P2W`).
 *
 * Campaign timings are written as durations so that tests can shrink them to
 * seconds (`PT2S`) without touching the engine. Years and months are calendar
 * units (one month from Jan 31 is Feb 28/29), everything else is fixed length;
 * arithmetic runs in UTC so it is the same on every machine and every replay.
 */
import { clampToDateRange, MAX_DATE_MS } from './date-range';
import { fail, ok, type Result } from './issues';

export interface Duration {
  /** The text as written, kept for summaries and traces. */
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

export const DURATION_HINT = 'an ISO 8601 duration such as P3D, PT12H, PT10S, P1M or P2W';

/**
 * The longest duration a campaign or pool may use. Longer ones overflow:
 * `now() + valid_for` in PostgreSQL and `Date` past year 275,760 (issue 11),
 * and any time in years 0000-9000 plus this stays a four-digit year, which
 * both PostgreSQL and the domain's ISO timestamps read back.
 */
export const MAX_DURATION_YEARS = 1000;
const MS_PER_AVERAGE_MONTH = (365.2425 / 12) * 24 * 60 * 60 * 1000;
const MAX_DURATION_MS = MAX_DURATION_YEARS * 12 * MS_PER_AVERAGE_MONTH;

/**
 * The longest a journey's timer may wait (`after`, and an `at` counted from
 * when the campaign is admitted). Temporal's server caps a timer's duration
 * at 100 years of 365 days (36,500 days) and fires a longer one then, early
 * (temporalio/temporal #4775, #7510); 99 calendar years (at most 36,160
 * days) stays inside it, with room to spare.
 */
export const MAX_TIMER_YEARS = 99;
export const MAX_TIMER_MS = MAX_TIMER_YEARS * 12 * MS_PER_AVERAGE_MONTH;

/** Whether a timer of this duration would wait longer than MAX_TIMER_YEARS (calendar months at their average length). */
export function longerThanTimerHolds(d: Duration): boolean {
  return !(spanMs(d) <= MAX_TIMER_MS);
}

/** The latest time a timer started at `now` may fire: `now` plus MAX_TIMER_YEARS calendar years. */
export function latestTimerAt(now: number): number {
  return addDuration(now, { text: `P${MAX_TIMER_YEARS}Y`, years: MAX_TIMER_YEARS, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
}

export function parseDuration(text: unknown, path = ''): Result<Duration> {
  const problem = (message: string) => fail<Duration>([{ path, message }]);
  if (typeof text !== 'string') return problem(`expected ${DURATION_HINT}`);
  const match = PATTERN.exec(text);
  // `P` and `PT` alone match the pattern but say nothing.
  if (!match || text === 'P' || text.endsWith('T')) {
    return problem(`"${text}" is not ${DURATION_HINT}`);
  }
  const [, y, mo, w, d, h, mi, s] = match;
  const num = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  const duration: Duration = {
    text,
    years: num(y),
    months: num(mo),
    weeks: num(w),
    days: num(d),
    hours: num(h),
    minutes: num(mi),
    seconds: num(s),
  };
  if (fixedMs(duration) === 0 && duration.years === 0 && duration.months === 0) {
    return problem(`"${text}" is zero long; use at least one second`);
  }
  // Digits alone can spell 1e400 (Infinity): the sum catches every part at once.
  if (!(spanMs(duration) <= MAX_DURATION_MS)) {
    return problem(`"${text}" is longer than ${MAX_DURATION_YEARS} years (P${MAX_DURATION_YEARS}Y), the longest duration Kairos can schedule`);
  }
  return ok(duration);
}

/** About how long a duration is: calendar months at their average length. */
function spanMs(d: Duration): number {
  return (d.years * 12 + d.months) * MS_PER_AVERAGE_MONTH + fixedMs(d);
}

/** The part of a duration that does not depend on the calendar. */
function fixedMs(d: Duration): number {
  return (
    (d.weeks * 7 + d.days) * MS_PER_DAY +
    d.hours * MS_PER_HOUR +
    d.minutes * MS_PER_MINUTE +
    Math.round(d.seconds * MS_PER_SECOND)
  );
}

/**
 * `at + d` in epoch milliseconds; months that are too short clamp to their
 * last day. A result past the range of `Date` stops at its edge (see
 * date-range.ts), so `toIso` of it never throws.
 */
export function addDuration(at: number, d: Duration): number {
  if (Number.isNaN(at)) return at;
  let t = clampToDateRange(at);
  const calendarMonths = d.years * 12 + d.months;
  if (calendarMonths !== 0) {
    const date = new Date(t);
    const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + calendarMonths;
    const year = Math.floor(totalMonths / 12);
    const month = totalMonths - year * 12;
    const lastDay = utcDate(year, month + 1, 0, 0).getUTCDate();
    const day = Math.min(date.getUTCDate(), lastDay);
    t = utcDate(year, month, day, ((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY).getTime();
    // NaN past the range: the edge the months were heading for.
    if (Number.isNaN(t)) t = calendarMonths > 0 ? MAX_DATE_MS : -MAX_DATE_MS;
  }
  return clampToDateRange(t + fixedMs(d));
}

/** A UTC date; unlike Date.UTC, years 0-99 are not read as 1900-1999. */
function utcDate(year: number, month: number, day: number, msOfDay: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setTime(date.getTime() + msOfDay);
  return date;
}

/** `at - d`, for "within the last P7D" windows. */
export function subtractDuration(at: number, d: Duration): number {
  const negated: Duration = {
    ...d,
    years: -d.years,
    months: -d.months,
    weeks: -d.weeks,
    days: -d.days,
    hours: -d.hours,
    minutes: -d.minutes,
    seconds: -d.seconds,
  };
  return addDuration(at, negated);
}

const DURATION_WORDS: Array<[keyof Omit<Duration, 'text'>, string]> = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/** A duration as people say it: P3D is "3 days", PT1H30M "1 hour 30 minutes", PT0S "no time". */
export function durationInWords(d: Duration): string {
  const parts = DURATION_WORDS.filter(([field]) => d[field] > 0).map(([field, word]) => `${d[field]} ${word}${d[field] === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : 'no time';
}
