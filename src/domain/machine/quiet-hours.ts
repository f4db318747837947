/**
 * Quiet hours: messages wait until the window closes in the campaign's time
 * zone. Computed with Intl (available in the workflow sandbox) from the given
 * instant, never from the clock.
 */
import type { QuietHoursWindow } from '../compiler';

/** What deciding quiet hours reads of a window: its two clock times (a message's activity gets only these). */
export type QuietClock = Pick<QuietHoursWindow, 'fromMinute' | 'toMinute'>;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** Seconds after local midnight in `zone` at instant `ms`. */
export function localSecondOfDay(ms: number, zone: string): number {
  let h = 0;
  let m = 0;
  let s = 0;
  for (const part of formatFor(zone).formatToParts(new Date(ms))) {
    if (part.type === 'hour') h = Number(part.value) % 24;
    else if (part.type === 'minute') m = Number(part.value);
    else if (part.type === 'second') s = Number(part.value);
  }
  return h * 3600 + m * 60 + s;
}

export function isQuiet(window: QuietClock, secondOfDay: number): boolean {
  const minute = secondOfDay / 60;
  return window.fromMinute < window.toMinute
    ? minute >= window.fromMinute && minute < window.toMinute
    : minute >= window.fromMinute || minute < window.toMinute;
}

/** Longest a clock change skips (Lord Howe's is 30 minutes, most are an hour). */
const LONGEST_GAP_MS = 2 * 3600_000;

/**
 * The instant quiet hours end, or null when `ms` is outside them.
 * `gapSafe`: when the local end time does not exist that day (it falls in a
 * spring-forward gap: 02:30 in New York on its change day), the end is the
 * first instant after the gap, never one still inside quiet hours (without
 * it, journeys from before patch held-events-and-split-arms: an instant
 * before the gap, so a message went out while still quiet).
 */
export function quietHoursEnd(ms: number, window: QuietClock, zone: string, gapSafe = true): number | null {
  const second = localSecondOfDay(ms, zone);
  if (!isQuiet(window, second)) return null;
  const untilEnd = (window.toMinute * 60 - second + 86400) % 86400;
  let end = Math.floor(ms / 1000) * 1000 + untilEnd * 1000;
  // A daylight-saving change inside the window moves local time by the shift; correct once.
  const drift = localSecondOfDay(end, zone) - window.toMinute * 60;
  if (drift !== 0 && Math.abs(drift) <= 2 * 3600) end -= drift * 1000;
  if (gapSafe && (end <= ms || isQuiet(window, localSecondOfDay(end, zone)))) end = firstOutside(Math.max(end, ms), window, zone) ?? end;
  return end;
}

/** The first whole minute after `from` outside quiet hours, within the longest clock change; undefined if none. */
function firstOutside(from: number, window: QuietClock, zone: string): number | undefined {
  const start = Math.floor(from / 60_000) * 60_000;
  for (let t = start + 60_000; t <= start + LONGEST_GAP_MS; t += 60_000) if (!isQuiet(window, localSecondOfDay(t, zone))) return t;
  return undefined;
}
