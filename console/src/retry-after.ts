/**
 * How long Kairos (or a proxy in front of it) asked to be left alone, from a
 * 429's or 503's Retry-After header: seconds, or an HTTP date. Capped, so a
 * header in error ("Retry-After: 86400") does not freeze a page for a day;
 * the reader can still reload.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  // An HTTP date ends in GMT (RFC 9110); anything else Date.parse would read ("-5" as a year) is no wait.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /GMT$/i.test(text) ? Date.parse(text) - now : NaN;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

// The typed client's error carries the status and body, not the headers: the wait is kept beside it.
const waits = new WeakMap<object, number>();

/** Keeps the Retry-After of `response` with the error its answer became. */
export function noteRetryAfter(error: unknown, response: Response, now = Date.now()): void {
  const ms = retryAfterMs(response.headers.get('retry-after'), now);
  if (ms !== undefined && typeof error === 'object' && error !== null) waits.set(error, ms);
}

/** The wait the answer behind `error` asked for, if it asked. */
export function retryAfterOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? waits.get(error) : undefined;
}
