import { oversizedIssues, type Weighed } from '../../domain/json-size';
import { PayloadTooLargeError } from './errors';

/**
 * Refuses (413, every oversized part at its path) what Temporal could not
 * carry: a 202 for an event whose signal is then refused forever is a
 * promise the system cannot keep.
 */
export function refuseOversized(parts: Iterable<Weighed>): void {
  const details = oversizedIssues(parts);
  if (details.length > 0) throw new PayloadTooLargeError('Part of the request is larger than Kairos can carry.', details);
}
