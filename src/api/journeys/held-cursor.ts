import { MAX_HELD_PAGE_MARKS, type HeldPageMark } from '../../temporal/journey-gateway';

/**
 * The `cursor` of GET /v1/held-steps: `s<start ms>` and the marks of the
 * journeys that page listed in that millisecond, dot-separated. Opaque to
 * callers; the `s` keeps it apart from the positions earlier versions gave.
 */
export const HELD_CURSOR_PATTERN = new RegExp(`^s\\d{1,15}(\\.[0-9a-f]{10}){0,${MAX_HELD_PAGE_MARKS}}$`);

export function heldCursor(mark: HeldPageMark): string {
  return ['s' + String(mark.startMs), ...mark.seen].join('.');
}

/**
 * The latest start a cursor may carry, 9999-12-31T23:59:59.998Z: the page
 * after it asks Temporal for journeys started before its next millisecond,
 * and a time past the year 9999 is no RFC 3339 time its queries take (the
 * refusal would read as Temporal failing, a 503, for a forged cursor).
 */
export const LATEST_HELD_START_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 998);

/** Whether `cursor` is one a page could have handed out: the pattern, and a start Temporal can be asked about. */
export function isHeldCursor(cursor: string): boolean {
  return HELD_CURSOR_PATTERN.test(cursor) && heldPageMark(cursor).startMs <= LATEST_HELD_START_MS;
}

/** A cursor that matched HELD_CURSOR_PATTERN. */
export function heldPageMark(cursor: string): HeldPageMark {
  const [start, ...seen] = cursor.split('.');
  return { startMs: Number(start.slice(1)), seen };
}
