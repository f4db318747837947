import type { FactContext } from './types';

/**
 * A number a condition computed (a sum or an average read, arithmetic), read
 * as the decimal it stands for: orders of 2.40, 14.20 and 3.40 add up to
 * 19.999999999999996 as doubles, and `sum(...) >= 20` must hold for them. A
 * double holds 15 significant decimal digits faithfully, so the reading is
 * rounded to them; a whole number is never touched (past 2^53 every double
 * is one, and counts and ids must stay as they are).
 *
 * `ctx.decimals` is asked only when the reading differs from the double:
 * journeys from before patch decimal-readings answer false there, and read
 * the double, as they did.
 */
export function decimalReading(x: number, ctx: FactContext): number {
  if (Number.isInteger(x) || !Number.isFinite(x)) return x;
  const decimal = Number(x.toPrecision(15));
  if (decimal === x) return x;
  return ctx.decimals === undefined || ctx.decimals() ? decimal : x;
}
