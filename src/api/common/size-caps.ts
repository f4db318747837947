import type { DomainIssue } from '../../domain/issues';
import { PayloadTooLargeError } from './errors';

/** Bytes of a value as JSON: what it weighs in a Temporal payload and in a jsonb column. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
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
    if (bytes > capBytes) details.push({ path, message: `is ${bytes} bytes as JSON; at most ${capBytes} are taken` });
  }
  if (details.length > 0) throw new PayloadTooLargeError('Part of the request is larger than Kairos can carry.', details);
}
