import { Cron } from 'croner';

/**
 * When a campaign's entry.cron ticks, for what depends on it outside the
 * Schedule itself: how late a tick may start (the tick's own lateness
 * bound, and the Schedule's catchupWindow), and how
 * many ticks fall near a tick's time (how far back a page looks for the
 * tick's own entries). croner reads
 * the expression as Temporal's Schedule does: the compiler refuses what the
 * two read otherwise (cronScheduleProblem).
 */

/**
 * The most a tick may start after it was due: past a day, a tick judges and
 * enters users by a time long gone (and a daily tick that late overlaps the
 * next). Not less: a worker down for a few hours must not cost a day's
 * birthday messages; they go late, judged at the tick's own time.
 */
export const LATE_TICK_CAP_MS = 24 * 60 * 60_000;
/** Ticks compared for the cron's shortest gap: more than a day of hourly ticks, two weeks of a twice-daily one. */
const GAPS_COMPARED = 25;

/** The cron as croner reads it; null for one it cannot (none is admitted: cronProblem reads every entry.cron so). */
function cronOf(expression: string, timezone: string): Cron | null {
  try {
    return new Cron(expression.trim(), { paused: true, timezone });
  } catch {
    return null;
  }
}

/**
 * How late the tick of `expression` due at `at` may start and still enter
 * users: the shorter of LATE_TICK_CAP_MS and the gap from that tick to its
 * own next one. Only that gap decides whether it would overlap the next tick
 * (which the Schedule's SKIP drops); a cron's shorter gaps elsewhere do not:
 * the 10:00 tick of `0 9,10 * * *` may start up to a day late (its next tick
 * is 23 hours on), its 09:00 tick only an hour.
 */
export function tickLateLimitMs(expression: string, timezone: string, at: number): number {
  const cron = cronOf(expression, timezone);
  // A tick started by hand (temporal schedule trigger) is due when it was triggered, between two slots: the gap to the
  // next slot says nothing of it (a second, triggered just before one), so it keeps the cron's shortest gap, as before.
  if (cron?.nextRun(new Date(at - 1000))?.getTime() !== at) return lateTickLimitMs(expression, timezone, new Date(at - 1000));
  const next = cron.nextRun(new Date(at));
  return next === null ? LATE_TICK_CAP_MS : Math.min(LATE_TICK_CAP_MS, next.getTime() - at);
}

/**
 * The Schedule's catchupWindow: the shorter of LATE_TICK_CAP_MS and the
 * cron's shortest gap between two ticks from `from` on. Temporal has one
 * window for all of a cron's ticks and, catching up with SKIP, starts only
 * the earliest it missed: a wider window would start a tick too late for
 * its own slot (which then stops at its first page) and skip a later one
 * still in time. So a tick Temporal catches up is one that may still enter;
 * a tick a worker starts late is held to its own bound (tickLateLimitMs).
 */
export function lateTickLimitMs(expression: string, timezone: string, from: Date): number {
  const runs = cronOf(expression, timezone)?.nextRuns(GAPS_COMPARED, from) ?? [];
  let limit = LATE_TICK_CAP_MS;
  for (let i = 1; i < runs.length; i++) limit = Math.min(limit, runs[i].getTime() - runs[i - 1].getTime());
  return limit;
}

/** The ticks of `expression` from `from` to `to` (both included), counted up to `cap` (`cap` for a cron croner cannot read). */
export function ticksBetween(expression: string, timezone: string, from: Date, to: Date, cap: number): number {
  const cron = cronOf(expression, timezone);
  if (cron === null) return cap;
  let count = 0;
  // nextRun answers the first tick after its argument: start a second early so that a tick at `from` counts.
  for (let at = cron.nextRun(new Date(from.getTime() - 1000)); at !== null && at.getTime() <= to.getTime() && count < cap; at = cron.nextRun(at)) count++;
  return count;
}

/** `ms` as the minutes (or seconds) a 5-field cron's gaps come in. */
const spell = (ms: number): string =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}` : ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;

/**
 * Why a tick that started at `startedAt` enters nobody, being due at `at`;
 * null when it is in time. Past tickLateLimitMs it would judge and enter
 * users by a time long gone (a worker or Temporal outage, a Schedule
 * catching up): the next tick enters them instead, judged at its own time.
 */
export function lateness(cron: string, timezone: string, at: number, startedAt: number): string | null {
  const limit = tickLateLimitMs(cron, timezone, at);
  if (startedAt - at <= limit) return null;
  return `due at ${new Date(at).toISOString()}, started ${new Date(startedAt).toISOString()}: too late (more than ${spell(limit)} after it was due); the next tick runs as scheduled`;
}
