import { ApplicationFailure, isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { isUnreachable } from '../../temporal/connectivity';
import { isRunStarting } from '../../temporal/run-start';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../common/errors';
import { grpcStatusName } from '../../temporal/grpc-status';

/** A request waits this long for Temporal at most; then it answers 503 instead of hanging. */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

/** gRPC NOT_FOUND: a workflow that never ran, or one already closed for signals and updates. */
const GRPC_NOT_FOUND = 5;
/** gRPC FAILED_PRECONDITION: Temporal's WorkflowNotReady, e.g. a query to a run whose workflow task never completed or keeps failing. */
export const GRPC_FAILED_PRECONDITION = 9;

/**
 * gRPC statuses by which Temporal refuses the call itself: asked again, it
 * answers the same until something changes (Kairos's credentials, the
 * journey's workflow task), so no `Retry-After`. INVALID_ARGUMENT,
 * ALREADY_EXISTS, PERMISSION_DENIED, FAILED_PRECONDITION, OUT_OF_RANGE,
 * UNIMPLEMENTED, UNAUTHENTICATED. UNAVAILABLE, DEADLINE_EXCEEDED and
 * RESOURCE_EXHAUSTED are "not now"; so are CANCELLED, UNKNOWN, ABORTED and
 * INTERNAL, which grpc-js also gives a stream its proxy dropped.
 */
const GRPC_REFUSALS: ReadonlySet<number> = new Set([3, 6, 7, GRPC_FAILED_PRECONDITION, 11, 12, 16]);

/** Held-step refusals the journey's update validators raise (src/workflows/journey/shell.ts). */
const HELD_CONFLICTS: Record<string, string> = { NotHeld: 'not_held', AmbiguousHeld: 'ambiguous_held' };

/**
 * Runs one call against a journey workflow and turns what Temporal answers
 * into domain errors, so the one HTTP filter maps them: no such (running)
 * workflow → 404, a held-step refusal → 409, anything else → 503: with
 * `Retry-After` from a Temporal that does not answer now, without from one
 * that refuses the call (isRefusal).
 */
export async function callJourney<T>(journeys: JourneyGateway, workflowId: string, call: () => Promise<T>, notFound?: string): Promise<T> {
  try {
    return await journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, call);
  } catch (err) {
    throw journeyError(workflowId, err, notFound);
  }
}

/**
 * One call of a request that asks many journeys (a page of held steps, a user's journeys)
 * under one `deadline` (ms since the epoch) for them all: it gets the time left, and none
 * is made once the deadline has passed, so the request answers within it however many
 * journeys do not.
 */
export function boundedUntil<T>(journeys: JourneyGateway, deadline: number, call: () => Promise<T>): Promise<T> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new Error('Not asked: the request had no time left for it.'));
  return journeys.bounded(left, call);
}

/** The gRPC status `err` carries, itself or in what it wraps (the client's ServiceError wraps the gRPC error); undefined when none. */
export function grpcCode(err: unknown, depth = 0): number | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const e = err as { code?: unknown; cause?: unknown };
  return typeof e.code === 'number' ? e.code : grpcCode(e.cause, depth + 1);
}

/** Temporal refused the call (GRPC_REFUSALS): the same call meets the same answer. A journey with no handler yet (isRunStarting) is not one. */
export function isRefusal(err: unknown): boolean {
  const code = grpcCode(err);
  return code !== undefined && GRPC_REFUSALS.has(code) && !isRunStarting(err);
}

/** The text of Temporal's answer: the gRPC details the client's ServiceError wraps, else the message. */
export function temporalSaid(err: unknown): string {
  const e = err as { message?: unknown; cause?: { details?: unknown } } | null;
  if (typeof e?.cause?.details === 'string' && e.cause.details) return e.cause.details;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/**
 * `notFound`: the 404's message. The default suits the calls that reach a running journey only (exit, retry,
 * skip); a call that reads closed journeys too says what its NotFound means for it (JourneysService.get).
 */
export function journeyError(workflowId: string, err: unknown, notFound = `No running journey ${workflowId}.`): Error {
  if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND)) {
    return new NotFoundError(notFound);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && HELD_CONFLICTS[err.cause.type]) {
    return new ConflictError(err.cause.message, HELD_CONFLICTS[err.cause.type]);
  }
  if (err instanceof NotFoundError || err instanceof ConflictError) return err;
  if (isRunStarting(err)) return new DependencyUnavailableError('temporal', `${workflowId} is starting a new run and has not loaded its campaign yet; try again shortly.`);
  if (isUnreachable(err)) return new DependencyUnavailableError('temporal', `Temporal cannot be reached now, so ${workflowId} could not be asked; try again shortly.`);
  if (isRefusal(err)) {
    const status = grpcStatusName(grpcCode(err) as number);
    return new DependencyUnavailableError(
      'temporal',
      `Temporal refused the call for ${workflowId} (${status}): ${temporalSaid(err).replace(/\.$/, '')}. The same request gets the same answer until that changes (Kairos's access to Temporal, or the journey's workflow).`,
      null,
    );
  }
  return new DependencyUnavailableError('temporal', `Temporal could not answer for ${workflowId}: ${(err as Error)?.message ?? String(err)}`);
}

/**
 * A failed listing of many journeys (visibility's `list`, or describing each of a user's), as journeyError
 * answers for one: the client wraps every gRPC error in "Failed to list workflows", so the 503 says what
 * Temporal said. Out of reach: try again shortly (Retry-After). A refusal (INVALID_ARGUMENT from a visibility
 * store that does not take the query, PERMISSION_DENIED, ...): its status and Temporal's text, no Retry-After,
 * as the same request meets the same answer. Anything else (busy, a deadline at the server): Retry-After.
 * `action` completes "Temporal could not …": `list the held journeys`.
 */
export function listingError(action: string, err: unknown): Error {
  if (isUnreachable(err)) return new DependencyUnavailableError('temporal', `Temporal cannot be reached now, so Kairos could not ${action}; try again shortly.`);
  if (isRefusal(err)) {
    const status = grpcStatusName(grpcCode(err) as number);
    return new DependencyUnavailableError(
      'temporal',
      `Temporal refused to ${action} (${status}): ${temporalSaid(err).replace(/\.$/, '')}. The same request gets the same answer until that changes (Kairos's access to Temporal, or its visibility store).`,
      null,
    );
  }
  return new DependencyUnavailableError('temporal', `Temporal could not ${action}: ${temporalSaid(err)}`);
}

/** The code of decisionError's 503: the decision was handed to the journey and may still apply. */
export const DECISION_PENDING = 'decision_pending';

/**
 * A retry or skip whose update Temporal took but no worker answered in time
 * (the worker down or busy): the decision waits in the journey and may still
 * apply when a worker runs, and a resend is another update unless it carries
 * the same Idempotency-Key. So no `Retry-After`: the message says to look at
 * the journey before repeating, or to repeat with the key.
 * Temporal not reached at all (isUnreachable) took nothing: journeyError.
 */
export function decisionError(workflowId: string, decision: 'retry' | 'skip', journeyPath: string, err: unknown): Error {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError && !isUnreachable(err)) {
    return new DependencyUnavailableError(
      'temporal',
      `The ${decision} was handed to ${workflowId}, which did not answer within ${TEMPORAL_CALL_TIMEOUT_MS / 1000} s (no worker has taken it yet): it may still apply when a worker runs. Check GET ${journeyPath} (its held steps and trace) before sending it again, or send it again with the same Idempotency-Key, which is carried out once.`,
      null,
      DECISION_PENDING,
    );
  }
  return journeyError(workflowId, err);
}
