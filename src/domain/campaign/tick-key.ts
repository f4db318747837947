/**
 * A batch-entry tick by the local time it stands for, in the cron's zone
 * (`2026-10-25T01:30`). Around a clock change going back, Temporal's
 * schedule runs a time in the repeated hour twice, each run a tick (and a
 * tick id) of its own; the two share this key, so a journey enters once.
 * Pure: the batch activity computes it, the journey only compares it.
 */
import { wallClock } from '../conditions/dates';

/** The nominal time Temporal's schedules append to the workflow ids they start (`<id>-2026-10-25T00:30:00Z`). */
const NOMINAL = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/;

/** When the tick was due: the nominal time in its workflow id when there is one, else `fallback` (epoch ms). */
export function nominalTickTime(tickId: string, fallback: number): number {
  const m = NOMINAL.exec(tickId);
  const at = m ? Date.parse(m[1]) : Number.NaN;
  return Number.isFinite(at) ? at : fallback;
}

/** The local minute of `at` (epoch ms) in `timeZone`, as `YYYY-MM-DDTHH:MM`. */
export function tickKey(at: number, timeZone: string): string {
  const { y, mo, d, h, mi } = wallClock(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`;
}
