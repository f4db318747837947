import { KairosApiError } from '../../api';

/**
 * The API's 503 `decision_pending` from Retry or Skip: the decision was
 * handed to the journey, which did not answer in time (no worker has taken
 * it yet). It may still apply once a worker runs, so it is no plain
 * failure. Other 503s without Retry-After (Temporal refused the call, a
 * proxy) handed nothing over: those are failures, said in the API's words.
 */
export function mayStillApply(error: unknown): boolean {
  return error instanceof KairosApiError && error.status === 503 && error.body?.error.code === 'decision_pending';
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

/**
 * Whether a decision's Idempotency-Key is spent: an answer said what became of
 * it (a 2xx, or a 4xx refusal). Otherwise (a 503, a dropped connection) it may
 * have been carried out, so the same decision on the same step is sent again
 * under the same key, and the journey carries it out once.
 */
export function keySpent(outcome: { ok: true } | { error: unknown }): boolean {
  if ('ok' in outcome) return true;
  return outcome.error instanceof KairosApiError && outcome.error.status >= 400 && outcome.error.status < 500;
}
