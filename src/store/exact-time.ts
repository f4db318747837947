/**
 * SQL for a timestamptz column as ISO 8601 text in UTC to the microsecond
 * (`2026-12-04T10:00:00.123456Z`), as PostgreSQL keeps it: a keyset cursor
 * built from it names exactly the row it was read from (a JavaScript Date
 * would cut it to milliseconds).
 */
export function exactUtcTimeSql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * A time read with exactUtcTimeSql as the API shows it: to the millisecond
 * as `Date#toISOString` writes it (`…12:00:00.120Z`) when it has nothing past
 * the millisecond, else to the microsecond (`…12:00:00.123456Z`). Either way
 * it is the instant stored, so a sender that resends the time it read back
 * resends the same event.
 */
export function apiTimeFromExact(exact: string): string {
  return exact.replace(/(\.\d{3})000Z$/, '$1Z');
}
