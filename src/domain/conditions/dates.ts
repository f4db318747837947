/**
 * Dates without a clock: every "now" is passed in. Strings are ISO 8601.
 * A string with an offset (`Z`, `+08:00`) is an instant. A date-only string
 * (`1990-05-17`) or a date-time without offset is a wall-clock time in the
 * campaign's timezone: a birthday is a calendar date, not a UTC midnight
 * that would shift to the previous day in America.
 */

export interface IsoParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Minutes east of UTC; null when the string names no offset (wall-clock time). */
  offsetMin: number | null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_MS = 86_400_000;

/** `Date.UTC` maps years 0-99 to 1900-1999; this does not. */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y >= 100) return t;
  const date = new Date(t);
  date.setUTCFullYear(y);
  return date.getTime();
}

export function parseIso(s: string): IsoParts | null {
  if (s.length < 10 || s.length > 40) return null;
  const m = ISO.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return null;
  // Reject 2026-02-30 instead of letting Date roll it into March.
  if (new Date(utc(y, mo, d)).getUTCDate() !== d) return null;
  let offsetMin: number | null = null;
  const off = m[8];
  if (off !== undefined) {
    if (off === 'Z' || off === 'z') offsetMin = 0;
    else {
      const digits = off.replace(':', '');
      const oh = Number(digits.slice(1, 3));
      const om = Number(digits.slice(3, 5));
      if (oh > 23 || om > 59) return null;
      offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
  }
  return { y, mo, d, h, mi, s: sec, ms, offsetMin };
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** Null for UTC (no Intl needed) and for a zone the runtime does not know (then UTC, never a throw). */
function formatter(tz: string | undefined): Intl.DateTimeFormat | null {
  if (tz === undefined || tz === 'UTC' || tz === 'Etc/UTC') return null;
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      f = null;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
export function wallClock(epoch: number, tz: string | undefined): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const f = formatter(tz);
  const date = new Date(epoch);
  if (f === null) {
    return { y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds() };
  }
  const out = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of f.formatToParts(date)) {
    const v = Number(p.value);
    if (p.type === 'year') out.y = v;
    else if (p.type === 'month') out.mo = v;
    else if (p.type === 'day') out.d = v;
    else if (p.type === 'hour') out.h = v;
    else if (p.type === 'minute') out.mi = v;
    else if (p.type === 'second') out.s = v;
  }
  return out;
}

function offsetMs(epoch: number, tz: string | undefined): number {
  const w = wallClock(epoch, tz);
  return utc(w.y, w.mo, w.d, w.h, w.mi, w.s) - Math.floor(epoch / 1000) * 1000;
}

/** The instant a wall-clock time names in a zone (twice refined, so DST edges land on a real instant). */
function wallToEpoch(p: IsoParts, tz: string | undefined): number {
  const asUtc = utc(p.y, p.mo, p.d, p.h, p.mi, p.s, p.ms);
  if (formatter(tz) === null) return asUtc;
  const first = asUtc - offsetMs(asUtc, tz);
  const second = asUtc - offsetMs(first, tz);
  return second;
}

/** The wall-clock time of an instant in a zone, as if that wall clock were UTC (epoch ms): calendar arithmetic on it keeps the local time of day. */
export function epochToWall(epoch: number, tz: string | undefined): number {
  return epoch + offsetMs(epoch, tz);
}

export function isoToEpoch(p: IsoParts, tz: string | undefined): number {
  if (p.offsetMin === null) return wallToEpoch(p, tz);
  return utc(p.y, p.mo, p.d, p.h, p.mi, p.s, p.ms) - p.offsetMin * 60_000;
}

/** Epoch ms of a number (already epoch) or an ISO string; null for anything else. */
export function toEpoch(value: unknown, tz: string | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const p = parseIso(value);
  return p === null ? null : isoToEpoch(p, tz);
}

/** The calendar date a value falls on in the zone, as year/month/day. */
function calendarDate(value: unknown, tz: string | undefined): { y: number; mo: number; d: number } | null {
  if (typeof value === 'string') {
    const p = parseIso(value);
    if (p === null) return null;
    // A wall-clock string already names its calendar date.
    if (p.offsetMin === null) return p;
    return wallClock(isoToEpoch(p, tz), tz);
  }
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15) return wallClock(value, tz);
  return null;
}

/** Whole calendar days from `value` to `now` in the zone (negative for the future); null when not a date. */
export function daysSince(value: unknown, now: number, tz: string | undefined): number | null {
  const from = calendarDate(value, tz);
  const to = calendarDate(now, tz);
  if (from === null || to === null) return null;
  return Math.round((utc(to.y, to.mo, to.d) - utc(from.y, from.mo, from.d)) / DAY_MS);
}

const MONTH_DAY = /^(?:--)?(\d{2})-(\d{2})$/;

/** 'MM-DD' of a date in the zone; an already 'MM-DD' (or '--MM-DD') string passes through. */
export function monthDay(value: unknown, tz: string | undefined): string | null {
  if (typeof value === 'string') {
    const m = MONTH_DAY.exec(value);
    if (m) return `${m[1]}-${m[2]}`;
  }
  const c = calendarDate(value, tz);
  if (c === null) return null;
  return `${String(c.mo).padStart(2, '0')}-${String(c.d).padStart(2, '0')}`;
}
