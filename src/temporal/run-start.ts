import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, QueryNotRegisteredError, WorkflowUpdateFailedError } from '@temporalio/client';
import { retryDelayMs } from '../retry/retry-delay';

/** How long a query or an update waits, at most, for a run that is loading its plan. */
const RUN_START_WAIT_MS = 5_000;
const FIRST_PAUSE_MS = 25;
const LONGEST_PAUSE_MS = 400;

/**
 * A journey registers its queries and updates once its first local activity
 * (the plan) has answered. A call that lands in the moment before (a run just
 * begun by continue-as-new, or by a start) finds no handler: the query fails,
 * the update is refused without a trace in the history. Either is safe to ask
 * again.
 */
export function isRunStarting(err: unknown): boolean {
  if (err instanceof QueryNotRegisteredError) return true;
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.message.startsWith('No registered handler for update');
}

/** Runs `call`, asking again while the journey's run is starting, for RUN_START_WAIT_MS at most. */
export async function onceRunStarted<T>(call: () => Promise<T>, waitMs = RUN_START_WAIT_MS): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const pause = retryDelayMs(attempt, FIRST_PAUSE_MS, LONGEST_PAUSE_MS);
      if (!isRunStarting(err) || Date.now() + pause > giveUpAt) throw err;
      await sleep(pause);
    }
  }
}
