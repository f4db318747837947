import { Cron } from 'croner';

/**
 * Cron expressions of `entry.cron`, checked by a real parser (croner: pure,
 * no Node built-ins). Only the API's schema uses it; the workflow bundle
 * never imports this file.
 */

/** Why the expression is not a valid 5-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression.trim(), { paused: true });
    return undefined;
  } catch (err) {
    return writtenTerms(expression, (err as Error).message.replace(/^CronPattern: /, ''));
  }
}

/**
 * croner counts days of the month and months from 0 inside, and names an
 * out-of-range one by that count (`0 0 0 * *`: "Invalid value for day: -1",
 * `13` in the month field: "month: 12"). Said with the field as written and
 * its range instead, so the operator sees what they wrote.
 */
const ZERO_BASED: Readonly<Record<string, { field: number; name: string; range: string }>> = {
  day: { field: 2, name: 'day-of-month', range: '1-31' },
  month: { field: 3, name: 'month', range: '1-12' },
};

function writtenTerms(expression: string, message: string): string {
  const found = /^Invalid value for (day|month): -?\d+$/.exec(message);
  const field = found ? ZERO_BASED[found[1]] : undefined;
  const fields = expression.trim().split(/\s+/);
  // croner reads a sixth field, in front, as seconds (the schema refuses it anyway).
  const written = field ? fields[field.field + (fields.length === 6 ? 1 : 0)] : undefined;
  if (!field || written === undefined) return message;
  return `the ${field.name} field "${written}" holds a value outside ${field.range}`;
}

const NAMES = /\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)\b/gi;

/**
 * Why a valid expression would not run as checked here: Temporal's schedules
 * (which run it) split fields only on spaces Go knows (not U+FEFF), read `#`
 * as a comment, know no `L`, `W`, `?` or `+`, read SUN ending a day-of-week
 * range as 0 (not 7), and run a day only when both day-of-month and
 * day-of-week match, where cron and the next runs shown here take either.
 * Undefined when the two agree.
 */
export function cronScheduleProblem(expression: string): string | undefined {
  // JS counts U+FEFF (a byte order mark, pasted from some editors) as a space, and so the schema and croner read the
  // fields apart; the schedule does not, and refuses the cron at activation with a mark the operator cannot see.
  // At the ends it is trimmed with the rest before the cron is stored.
  if (expression.trim().includes('\uFEFF')) return 'fields must be separated by spaces or tabs: it holds a U+FEFF (zero width no-break space), which the schedule does not read as one';
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  if (fields.some((f) => f.includes('#'))) return '`#` (the nth weekday of the month) is not supported where the schedule runs: it reads the rest as a comment';
  // croner's "+" (match day-of-month and day-of-week both) is its own: the schedule refuses the field, and activation could never succeed.
  if (fields.some((f) => f.includes('+'))) return '`+` is not supported where the schedule runs: write plain values, ranges, lists and steps';
  const special = fields.map((f) => f.replace(NAMES, '')).find((f) => /[LW?]/i.test(f));
  if (special !== undefined) return '`L`, `W` and `?` are not supported where the schedule runs: use plain values, ranges, lists and steps';
  const [, , dayOfMonth, , dayOfWeek] = fields;
  const sundayEnd = sundayEndProblem(dayOfWeek);
  if (sundayEnd) return sundayEnd;
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    return `both day-of-month (${dayOfMonth}) and day-of-week (${dayOfWeek}) are set: cron runs on either, the schedule only on days matching both; set one of them to *`;
  }
  if (neverRuns(expression)) return `no date has day-of-month ${dayOfMonth} in month ${fields[3]}: the schedule would never run`;
  return undefined;
}

/**
 * A day-of-week range ending in SUN (`sat-sun`, `mon-sun`, `5-sun`): croner
 * reads that SUN as 7, the schedule as 0 (it maps names to 0-6, then reads a
 * range's end from its start up), so it refuses `sat-sun` at activation and
 * reads `sun-sun` as Sunday alone where croner reads every day. A numeric 7
 * ends a range in both.
 */
function sundayEndProblem(dayOfWeek: string): string | undefined {
  for (const part of dayOfWeek.split(',')) {
    const [range, step] = part.split('/');
    const ends = range.split('-');
    if (ends.length !== 2 || !/^sun$/i.test(ends[1])) continue;
    const [start] = ends;
    const reading = /^(0|sun)$/i.test(start) ? 'so the range holds Sunday alone' : `before ${start}, and it refuses the range`;
    return `day-of-week \`${part}\`: where the schedule runs, SUN ending a range is 0, not 7, ${reading}; write ${start}-7${step === undefined ? '' : `/${step}`} (7 is Sunday too)`;
  }
  return undefined;
}

// A fixed start keeps the answer the same wherever it is asked: every day-of-month and month pair that exists at all (29 February included) comes within years of it.
const NEVER_RUNS_FROM = new Date(Date.UTC(2000, 0, 1));

/** Whether the expression names only dates no calendar has (`0 9 31 2 *`), which croner parses and the schedule would accept and never run. */
function neverRuns(expression: string): boolean {
  try {
    return new Cron(expression.trim(), { paused: true }).nextRun(NEVER_RUNS_FROM) === null;
  } catch {
    return false; // not a valid expression at all: cronProblem says why
  }
}

/**
 * The first tick of `expression` in `timezone` at or after `window.startsAt`
 * (from 2000 when it is open), written as nextCronRuns writes runs, and
 * whether it comes by `window.endsAt`; null when there is none at all. Judged
 * over the whole window, not from now: whether the schedule can ever enter
 * anyone, not whether it still will.
 */
export function firstRunInWindow(expression: string, timezone: string, window: CronWindow): { at: string; inWindow: boolean } | null {
  const startsAt = window.startsAt ?? NEVER_RUNS_FROM.getTime();
  const cron = new Cron(expression.trim(), { paused: true, timezone });
  // A second before startsAt, as in nextCronRuns: croner gives the runs after the time it is handed.
  let first = cron.nextRun(new Date(startsAt - 1_000));
  // A startsAt within a second (09:00:00.500) comes after the tick of that second.
  if (first !== null && first.getTime() < startsAt) first = cron.nextRun(first);
  if (first === null) return null;
  const endsAt = window.endsAt ?? null;
  return { at: inZone(first, timezone), inWindow: endsAt === null || first.getTime() <= endsAt };
}

/** A campaign's schedule window (epoch ms; null or absent: open on that side), inclusive on both sides as Temporal's startAt/endAt are. */
export interface CronWindow {
  startsAt?: number | null;
  endsAt?: number | null;
}

/**
 * The next `count` runs after `from` in `timezone` that fall within
 * `window` (the Schedule starts no tick outside it: none before startsAt,
 * none after endsAt; empty once it has closed), written in that zone's
 * local time with its offset (`2026-12-01T09:00:00+01:00`).
 */
export function nextCronRuns(expression: string, timezone: string, from: Date, count = 3, window: CronWindow = {}): string[] {
  const startsAt = window.startsAt ?? null;
  const endsAt = window.endsAt ?? null;
  if (endsAt !== null && endsAt < from.getTime()) return [];
  // A second before startsAt: a run at startsAt itself counts, and croner gives the runs after the time it is handed.
  const after = startsAt !== null && startsAt - 1_000 > from.getTime() ? new Date(startsAt - 1_000) : from;
  return new Cron(expression.trim(), { paused: true, timezone })
    .nextRuns(count + 1, after)
    .filter((d) => (startsAt === null || d.getTime() >= startsAt) && (endsAt === null || d.getTime() <= endsAt))
    .slice(0, count)
    .map((d) => inZone(d, timezone));
}

function inZone(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMin = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`}`;
}
