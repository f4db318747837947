import type { DomainIssue } from './issues';

/** Bytes of a string in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD, as encoders write it). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Bytes of a value as JSON: what it weighs in a Temporal payload and in a
 * jsonb column. Infinite when it nests too deep for JSON.stringify (the stack
 * runs out): nothing downstream could serialize it either.
 */
export function jsonBytes(value: unknown): number {
  try {
    return utf8Bytes(JSON.stringify(value) ?? '');
  } catch (err) {
    if (err instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw err;
  }
}

/** One value to weigh, at its path in the input. */
export interface Weighed {
  path: string;
  value: unknown;
  capBytes: number;
}

/** Each part heavier than its cap, at its path: what Temporal could not carry (a signal refused forever). */
export function oversizedIssues(parts: Iterable<Weighed>): DomainIssue[] {
  const issues: DomainIssue[] = [];
  for (const { path, value, capBytes } of parts) {
    const bytes = jsonBytes(value);
    if (bytes === Number.POSITIVE_INFINITY) issues.push({ path, message: 'nests too deep to be serialized' });
    else if (bytes > capBytes) issues.push({ path, message: `is ${bytes} bytes as JSON; at most ${capBytes} are taken` });
  }
  return issues;
}
