import { isConnectivityError } from '../../temporal/connectivity';
import { GRPC_RESOURCE_EXHAUSTED, TOO_LARGE, isOwnSearchAttributeUnknown } from '../../temporal/refusals';
export { describeError, isRefusedForGood } from '../../temporal/refusals';

/**
 * What a failed batch entry (a journey's signalWithStart) says about whose
 * failure it is: the user's journey's, or Temporal's. A refusal for good is
 * read as the outbox reads it (src/temporal/refusals.ts).
 */

/**
 * gRPC statuses that say nothing of the journey called, only of Temporal or
 * of the caller's standing there: CANCELLED (the call, not the journey),
 * UNKNOWN and INTERNAL (a server's or a proxy's fault), DEADLINE_EXCEEDED,
 * NOT_FOUND (a signal with start finds no namespace, never no workflow),
 * PERMISSION_DENIED, FAILED_PRECONDITION (a namespace failing over or not
 * active here), UNAVAILABLE, UNAUTHENTICATED.
 */
const NOT_THE_JOURNEYS = new Set([1, 2, 4, 5, 7, 9, 13, 14, 16]);

/**
 * The failure is Temporal's, whichever journey it hit: out of reach or not
 * answering in time (UNAVAILABLE, DEADLINE_EXCEEDED), rate limiting, or the
 * namespace or credentials (NOT_THE_JOURNEYS). A page fails on it, to be
 * retried, rather than give up on every user it hits.
 */
export function isTemporalsOwn(err: unknown, depth = 0): boolean {
  if (isConnectivityError(err)) return true;
  // Kairos's own search attributes not usable yet (a cluster that registered them seconds ago) fail every user alike.
  if (depth === 0 && isOwnSearchAttributeUnknown(err)) return true;
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown };
  if (typeof e.code === 'number' && NOT_THE_JOURNEYS.has(e.code)) return true;
  if (e.code === GRPC_RESOURCE_EXHAUSTED && !TOO_LARGE.test(`${String(e.message ?? '')} ${String(e.details ?? '')}`)) return true;
  return isTemporalsOwn(e.cause, depth + 1);
}

