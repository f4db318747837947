/**
 * Times as the reader's browser tells them, with its zone said ("10:03:05 AM
 * GMT+1"): campaigns have zones of their own (schedule.timezone), so a time
 * without one reads as if it could be theirs.
 */
export function clock(at: Date): string {
  return at.toLocaleTimeString(undefined, { timeZoneName: 'short' });
}

/** A date and time, with the browser's zone. */
export function dateTime(at: Date): string {
  return at.toLocaleString(undefined, { timeZoneName: 'short' });
}
