/**
 * A number as digits with a sign and a fraction, never an exponent: the
 * digits JavaScript prints (the shortest that read back as the same number),
 * the point moved by the exponent, so `Number` reads it back as the same
 * number and a field that takes plain decimals reads it as one (the
 * template form's numbers, the canvas's amounts).
 */
export function plainDecimal(n: number): string {
  const printed = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(printed);
  if (!m) return printed;
  const [, sign, lead, fraction = '', exponent] = m;
  const digits = lead + fraction;
  // Where the point goes among the digits: after the first, moved by the exponent.
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
