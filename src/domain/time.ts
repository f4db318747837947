/**
 * Instants as the domain handles them. Time always comes from the caller
 * (workflow time), never from the clock: the domain runs inside Temporal's
 * deterministic sandbox and in replays.
 */

/** Epoch milliseconds or an ISO 8601 timestamp. */
export type Instant = number | string;

/** Epoch milliseconds of an instant; NaN when it cannot be read. */
export function toEpochMs(at: Instant): number {
  if (typeof at === 'number') return Number.isFinite(at) ? at : Number.NaN;
  if (typeof at !== 'string' || !(ISO_TIMESTAMP.test(at) || EXTENDED_YEAR_ISO.test(at))) return Number.NaN;
  return new Date(at).getTime();
}

/** What `toIso` writes for years past 0000-9999: the domain must read back every time it wrote. */
const EXTENDED_YEAR_ISO = /^[+-]\d{6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A full date and time with a zone (`Z` or `+08:00`); dates alone are ambiguous across zones. */
export const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * The zone's name as the IANA database spells it, when `zone` differs from
 * it only in case: Intl accepts "asia/shanghai", Temporal's schedules do not.
 */
export function zoneSpelling(zone: string): string | undefined {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return canonical !== zone && canonical.toLowerCase() === zone.toLowerCase() ? canonical : undefined;
  } catch {
    return undefined;
  }
}

export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
