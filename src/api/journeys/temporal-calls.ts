import { ApplicationFailure, isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { isUnreachable } from '../../temporal/connectivity';
import { isRunStarting } from '../../temporal/run-start';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../common/errors';

/** A request waits this long for Temporal at most; then it answers 503 instead of hanging. */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

/** gRPC NOT_FOUND: a workflow that never ran, or one already closed for signals and updates. */
const GRPC_NOT_FOUND = 5;

/** Held-step refusals the journey's update validators raise (src/workflows/journey/shell.ts). */
const HELD_CONFLICTS: Record<string, string> = { NotHeld: 'not_held', AmbiguousHeld: 'ambiguous_held' };

/**
 * Runs one call against a journey workflow and turns what Temporal answers
 * into domain errors, so the one HTTP filter maps them: no such (running)
 * workflow → 404, a held-step refusal → 409, anything else from a Temporal
 * that does not answer → 503.
 */
export async function callJourney<T>(journeys: JourneyGateway, workflowId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, call);
  } catch (err) {
    throw journeyError(workflowId, err);
  }
}

export function journeyError(workflowId: string, err: unknown): Error {
  if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND)) {
    return new NotFoundError(`No running journey ${workflowId}.`);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && HELD_CONFLICTS[err.cause.type]) {
    return new ConflictError(err.cause.message, HELD_CONFLICTS[err.cause.type]);
  }
  if (err instanceof NotFoundError || err instanceof ConflictError) return err;
  if (isRunStarting(err)) return new DependencyUnavailableError('temporal', `${workflowId} is starting a new run and has not loaded its campaign yet; try again shortly.`);
  if (isUnreachable(err)) return new DependencyUnavailableError('temporal', `Temporal cannot be reached now, so ${workflowId} could not be asked; try again shortly.`);
  return new DependencyUnavailableError('temporal', `Temporal could not answer for ${workflowId}: ${(err as Error)?.message ?? String(err)}`);
}
