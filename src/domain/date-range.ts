/**
 * The instants the domain can compute with. A JavaScript Date holds
 * ±8.64e15 ms around 1970; past that `toISOString` throws a RangeError, which
 * inside `step` would leave a journey stuck. Arithmetic that would leave the
 * range stops at its edge instead: a timer at the edge of time never fires.
 */
export const MAX_DATE_MS = 8.64e15;
export const MIN_DATE_MS = -MAX_DATE_MS;

/** Whether `ms` is an instant a Date can hold. */
export function isDateMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_DATE_MS && ms <= MAX_DATE_MS;
}

/** `ms` moved to the nearest instant a Date can hold; NaN stays NaN. */
export function clampToDateRange(ms: number): number {
  if (Number.isNaN(ms)) return ms;
  return Math.min(MAX_DATE_MS, Math.max(MIN_DATE_MS, ms));
}
