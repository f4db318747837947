/**
 * Durations read on a zone's calendar: years, months, weeks and days keep
 * the local time of day (a week after Sunday 09:00 is the next Sunday
 * 09:00, 167 hours later across the spring clock change), hours and less
 * are exact. Campaign durations are otherwise fixed length in UTC
 * (durations.ts); a scheduled entry's cooldown and frequency are read so,
 * because its ticks come at a local time.
 */
import { epochToWall } from './conditions/dates';
import { addDuration, type Duration } from './durations';

const DAY_MS = 86_400_000;

const calendarPart = (d: Duration, sign: 1 | -1): Duration => ({ ...d, years: sign * d.years, months: sign * d.months, weeks: sign * d.weeks, days: sign * d.days, hours: 0, minutes: 0, seconds: 0 });
const clockPart = (d: Duration, sign: 1 | -1): Duration => ({ ...d, years: 0, months: 0, weeks: 0, days: 0, hours: sign * d.hours, minutes: sign * d.minutes, seconds: sign * d.seconds });

/** `at + d` (epoch ms) with the calendar units counted on `zone`'s wall clock. */
export function addDurationInZone(at: number, d: Duration, zone: string): number {
  return shift(at, d, zone, 1);
}

/** `at - d` (epoch ms) with the calendar units counted on `zone`'s wall clock, for "within the last P7D" windows. */
export function subtractDurationInZone(at: number, d: Duration, zone: string): number {
  return shift(at, d, zone, -1);
}

function shift(at: number, d: Duration, zone: string, sign: 1 | -1): number {
  if (Number.isNaN(at)) return at;
  const calendar = calendarPart(d, sign);
  const onCalendar = calendar.years === 0 && calendar.months === 0 && calendar.weeks === 0 && calendar.days === 0 ? at : wallToInstant(addDuration(epochToWall(at, zone), calendar), zone);
  return addDuration(onCalendar, clockPart(d, sign));
}

/**
 * The instant a wall-clock time (epochToWall's form) names in `zone`, as
 * Temporal's schedules and ECMAScript's Temporal ("compatible") read it: a
 * time the autumn change repeats is its first instant, the one the
 * schedule's first run of it comes at; a time the spring change skips is
 * read with the offset before the change, so it lands as far after the
 * change as it was into the gap (02:30 is 03:30), east or west of UTC.
 */
function wallToInstant(wall: number, zone: string): number {
  // The offsets in force a day before and a day after: around one change, one of them is each side's.
  const before = wall - (epochToWall(wall - DAY_MS, zone) - (wall - DAY_MS));
  const after = wall - (epochToWall(wall + DAY_MS, zone) - (wall + DAY_MS));
  const fits = [before, after].filter((t) => epochToWall(t, zone) === wall);
  return fits.length > 0 ? Math.min(...fits) : before;
}
