/**
 * A count or amount as the reader's locale groups it (10,000,000 rather than
 * 10000000); '—' for none. Past 10^15, where grouping would spell out every
 * digit of a double, the number as JavaScript writes it (1e+21).
 */
export function amount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.abs(n) >= 1e15 ? String(n) : n.toLocaleString(undefined, { maximumFractionDigits: 6 });
}

/**
 * A number as a decimal text gives it ("0.7999999999999999"), its integer
 * part grouped as the reader's locale groups it and every fraction digit
 * kept: for values compared (a condition's), where rounding could show a
 * value that fails a comparison as one that passes it. Text that is not a
 * plain decimal is given back as it is.
 */
export function exactAmount(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign, whole, fraction] = m;
  const grouped = BigInt(whole).toLocaleString();
  return `${sign}${grouped}${fraction === undefined ? '' : `${decimalSeparator()}${fraction}`}`;
}

/** The reader's locale's decimal separator ("." or ","). */
function decimalSeparator(): string {
  return new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * The noun that goes with `n`: `one` for exactly one, else `many` (the
 * noun with an s unless told). English only, as the rest of the console.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** A count with its noun, grouped: "1 coupon", "1,000,000 coupons", "0 points". */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${amount(n)} ${plural(n, one, many)}`;
}
