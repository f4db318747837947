import type { DomainIssue } from '../../domain/issues';
import { PayloadTooLargeError } from './errors';

/**
 * Bytes of a value as JSON: what it weighs in a Temporal payload and in a
 * jsonb column. Infinite when it nests too deep for JSON.stringify (the stack
 * runs out): nothing downstream could serialize it either.
 */
export function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch (err) {
    if (err instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw err;
  }
}

/** One value to weigh, at its path in the request. */
export interface Weighed {
  path: string;
  value: unknown;
  capBytes: number;
}

/**
 * Refuses (413, every oversized part at its path) what Temporal could not
 * carry: a 202 for an event whose signal is then refused forever is a
 * promise the system cannot keep.
 */
export function refuseOversized(parts: Iterable<Weighed>): void {
  const details: DomainIssue[] = [];
  for (const { path, value, capBytes } of parts) {
    const bytes = jsonBytes(value);
    if (bytes === Number.POSITIVE_INFINITY) details.push({ path, message: 'nests too deep to be serialized' });
    else if (bytes > capBytes) details.push({ path, message: `is ${bytes} bytes as JSON; at most ${capBytes} are taken` });
  }
  if (details.length > 0) throw new PayloadTooLargeError('Part of the request is larger than Kairos can carry.', details);
}
