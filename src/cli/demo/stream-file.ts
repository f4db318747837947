/** An example's event stream (examples/streams/<campaign>.json): what the demo loads and replays. */
export interface StreamFile {
  campaign: string;
  description?: string;
  pools?: Record<string, unknown>[];
  profiles?: Record<string, Record<string, unknown>>;
  events?: Record<string, unknown>[];
  /** A batch-entry campaign: its journeys start on a tick of `entry.cron`, not on events. */
  tick?: boolean;
  expect?: { rewards?: { userId: string; kind: string; amount?: number }[]; states?: Record<string, string> };
}

/** The calendar date in a time zone, `YYYY-MM-DD`. */
export function dateIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * Replaces `{{today}}` and `{{tomorrow}}` in profile values by dates in the
 * campaign's zone, so a birthday example always has a user whose birthday is
 * today where the campaign looks.
 */
export function fillDates<T>(value: T, timeZone: string, now: Date): T {
  const today = dateIn(timeZone, now);
  const tomorrow = dateIn(timeZone, new Date(now.getTime() + 86_400_000));
  const text = JSON.stringify(value).replaceAll('{{today}}', today).replaceAll('{{tomorrow}}', tomorrow);
  return JSON.parse(text) as T;
}
