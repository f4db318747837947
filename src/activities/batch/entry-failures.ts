import { isConnectivityError } from '../../temporal/connectivity';

/**
 * What a failed batch entry (a journey's signalWithStart) says about whose
 * failure it is: the user's journey's, or Temporal's. The refusal rule is the
 * outbox's (isRefusedForGood in src/api/outbox/journey-sender.ts), read the
 * same way here.
 */

/**
 * Limits of the journey's current run that Temporal reports as
 * INVALID_ARGUMENT although they pass: its signals (10,000 a run by
 * default) or its history are full until the journey continues as new.
 */
const RUN_FULL = /exceeded workflow execution limit|history (size|count) exceeds limit|too many (signals|history events)/i;

/** gRPC RESOURCE_EXHAUSTED: rate limiting, unless it says the message is too large. */
const GRPC_RESOURCE_EXHAUSTED = 8;
const TOO_LARGE = /larger than|exceeds|too large/i;

/**
 * Temporal refused the call itself (INVALID_ARGUMENT, e.g. a payload past
 * its blob limit; OUT_OF_RANGE; UNIMPLEMENTED), or a message past the gRPC
 * size limit: the same call can never succeed. A run that is full (RUN_FULL)
 * is not: its continue-as-new empties it.
 */
export function isRefusedForGood(err: unknown): boolean {
  return !RUN_FULL.test(describeError(err)) && isRefusedByStatus(err);
}

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
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown };
  if (typeof e.code === 'number' && NOT_THE_JOURNEYS.has(e.code)) return true;
  if (e.code === GRPC_RESOURCE_EXHAUSTED && !TOO_LARGE.test(`${String(e.message ?? '')} ${String(e.details ?? '')}`)) return true;
  return isTemporalsOwn(e.cause, depth + 1);
}

function isRefusedByStatus(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown };
  if (e.code === 3 || e.code === 11 || e.code === 12) return true;
  if (e.code === GRPC_RESOURCE_EXHAUSTED && TOO_LARGE.test(`${String(e.message ?? '')} ${String(e.details ?? '')}`)) return true;
  return isRefusedByStatus(e.cause, depth + 1);
}

/** The message with its causes' (the Temporal client wraps the gRPC error, whose details say why). */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { message, details } = e as { message?: unknown; details?: unknown };
    for (const text of [message, details]) if (typeof text === 'string' && text && !parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.join(': ') || String(err);
}
