import { KairosApiError } from '../../api';

/**
 * A 503 without Retry-After from Retry or Skip: the decision was handed to
 * the journey, which did not answer in time (no worker has taken it yet). It
 * may still apply once a worker runs, so it is no plain failure, and sending
 * it again on a timer is not what helps (hence no Retry-After).
 */
export function mayStillApply(error: unknown): boolean {
  return error instanceof KairosApiError && error.status === 503 && error.retryAfterSeconds === null;
}

/**
 * Which row takes focus once a decided row leaves the list (its focused
 * button goes with it): the row after it, else the one before, else none
 * (focus then goes to the page's word on the decision). Ids as listed when
 * the decision was sent.
 */
export function focusAfter(ids: readonly string[], decided: string): string | null {
  const at = ids.indexOf(decided);
  if (at === -1) return null;
  return ids[at + 1] ?? ids[at - 1] ?? null;
}
