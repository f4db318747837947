import { journeySearchAttributes } from '../workflows/journey/contract';

/**
 * Whether Temporal refused a journey call for good: the outbox (a refused
 * row is dead) and batch entry (a refused user is given up on) read a
 * failure the same way.
 */

/**
 * Limits of the journey's current run that Temporal reports as
 * INVALID_ARGUMENT although they pass: its signals (10,000 a run by
 * default) or its history are full until the journey continues as new.
 */
const RUN_FULL = /exceeded workflow execution limit|history (size|count) exceeds limit|too many (signals|history events)/i;

const OWN_NAMES = journeySearchAttributes.map((a) => a.name).join('|');

/**
 * Temporal's words for a search attribute its frontend does not know yet: on a
 * start or signalWithStart ("no mapping defined…", "… is not defined") and in a
 * visibility query ("column name '…' is not a valid search attribute"). Matched
 * only when they name one of Kairos's own, which Kairos registers at boot.
 */
const OWN_ATTRIBUTE_UNKNOWN = new RegExp(
  `no mapping defined for search attribute (${OWN_NAMES})\\b|search attribute (${OWN_NAMES}) is not defined|column name '(${OWN_NAMES})' is not a valid search attribute`,
);

/**
 * Temporal answered INVALID_ARGUMENT because one of Kairos's own search
 * attributes is not known yet where the call landed. That passes: a SQL-
 * visibility server (compose's, most self-hosted ones) learns an attribute
 * just added only at its namespace registry's next refresh (about 10 s),
 * unless it runs with system.forceSearchAttributesCacheRefreshOnRead. Read as
 * an outage, never as a refusal for good: an accepted event must not go dead
 * in the first seconds of a fresh cluster.
 */
export function isOwnSearchAttributeUnknown(err: unknown): boolean {
  return OWN_ATTRIBUTE_UNKNOWN.test(describeError(err));
}

/**
 * gRPC statuses with which Temporal refuses the call itself (INVALID_ARGUMENT,
 * e.g. a payload past its blob limit; OUT_OF_RANGE; UNIMPLEMENTED), and a
 * message past the gRPC size limit: the same payload can never succeed.
 * RESOURCE_EXHAUSTED is otherwise rate limiting, which passes; so does a
 * run that is full (RUN_FULL), which its continue-as-new empties, and one of
 * Kairos's own search attributes not known yet (isOwnSearchAttributeUnknown).
 */
export function isRefusedForGood(err: unknown): boolean {
  const text = describeError(err);
  return !RUN_FULL.test(text) && !OWN_ATTRIBUTE_UNKNOWN.test(text) && isRefusedByStatus(err);
}

/** gRPC RESOURCE_EXHAUSTED: rate limiting, unless its text says the message is too large (TOO_LARGE). */
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const TOO_LARGE = /larger than|exceeds|too large/i;

function isRefusedByStatus(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown };
  if (e.code === 3 || e.code === 11 || e.code === 12) return true;
  const text = `${String(e.message ?? '')} ${String(e.details ?? '')}`;
  if (e.code === GRPC_RESOURCE_EXHAUSTED && TOO_LARGE.test(text)) return true;
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
