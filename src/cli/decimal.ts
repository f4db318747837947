/**
 * A number as people write it in decimal: `250`, `-1.5`, `.5`, `2e3`. Not what
 * else `Number()` reads (`0x10` is 16, `0b11` is 3, ` 7 ` is 7, `` is 0),
 * which would send a value the user did not write.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `text` as a finite decimal number, or undefined when it is not one. */
export function decimalNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
