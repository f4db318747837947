import type { HeldPageMark } from '../../temporal/journey-gateway';

/**
 * The `cursor` of GET /v1/held-steps: `s<start ms>` and the marks of the
 * journeys that page listed in that millisecond, dot-separated. Opaque to
 * callers; the `s` keeps it apart from the positions earlier versions gave.
 */
export const HELD_CURSOR_PATTERN = /^s\d{1,15}(\.[0-9a-f]{10}){0,500}$/;

export function heldCursor(mark: HeldPageMark): string {
  return ['s' + String(mark.startMs), ...mark.seen].join('.');
}

/** A cursor that matched HELD_CURSOR_PATTERN. */
export function heldPageMark(cursor: string): HeldPageMark {
  const [start, ...seen] = cursor.split('.');
  return { startMs: Number(start.slice(1)), seen };
}
