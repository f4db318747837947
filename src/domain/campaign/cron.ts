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
    return (err as Error).message.replace(/^CronPattern: /, '');
  }
}

/** The next `count` runs after `from` in `timezone`, written in that zone's local time with its offset (`2026-12-01T09:00:00+01:00`). */
export function nextCronRuns(expression: string, timezone: string, from: Date, count = 3): string[] {
  return new Cron(expression.trim(), { paused: true, timezone })
    .nextRuns(count, from)
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
