/**
 * Idempotency keys join their parts with `:`, and user ids and step ids may
 * contain `:` themselves: joined as written, user `a:1` at step `x` and user
 * `a` at step `1:x` shared a key, and the ledger handed the second the first
 * one's reward (issue 11). Escaping `%` and `:` in every part makes the
 * joined key name one tuple only; ids without either keep the key they had.
 */
export function joinKeyParts(parts: readonly string[]): string {
  return parts.map(escapePart).join(':');
}

/** The parts back, for tests and for reading a key in a trace. */
export function splitKeyParts(key: string): string[] {
  return key.split(':').map(decodeURIComponent);
}

function escapePart(part: string): string {
  return part.replace(/%/g, '%25').replace(/:/g, '%3A');
}
