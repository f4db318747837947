import type { DomainIssue } from '../../../../src/domain/issues';
import { KairosApiError, unwrap } from '../../api';
import { retryAfterOf } from '../../retry-after';

/** A check that failed for a passing reason (no answer, Kairos restarting, too busy) is asked again after this long at least. */
export const RETRY_MS = 5000;

/**
 * What one POST /v1/campaigns/validate came to: the compiler's verdict
 * (issues from its 400, or warnings with its 200), or a failure that says
 * nothing about the campaign, with when to ask again (null: not before the
 * definition or the key changes, since asking the same again gets the same).
 */
export type CheckOutcome = { kind: 'checked'; issues: DomainIssue[]; warnings: DomainIssue[] } | { kind: 'failed'; error: unknown; retryInMs: number | null };

/**
 * Through the console's `unwrap`, as every other answer: an error body that
 * is not Kairos's (a proxy's HTML page, a bare 429) is a KairosApiError
 * without a body, worded "502 from the API", never a TypeError from reading
 * a body that is not there; and a Retry-After is kept with it.
 */
export async function checkOutcome(call: Promise<{ data?: { warnings?: DomainIssue[] }; error?: unknown; response: Response }>): Promise<CheckOutcome> {
  try {
    const data = await unwrap(call);
    return { kind: 'checked', issues: [], warnings: data?.warnings ?? [] };
  } catch (error) {
    // Only Kairos's own 400 is the compiler speaking; a 400 from something else in front of it is a failure like any other.
    if (error instanceof KairosApiError && error.status === 400 && error.body) return { kind: 'checked', issues: error.body.error.details, warnings: [] };
    return { kind: 'failed', error, retryInMs: retryInMs(error) };
  }
}

/**
 * No answer, a timeout, 429 and 5xx pass: asked again no sooner than the
 * answer's Retry-After. Any other refusal (403, 413) would be the same next
 * time, so it waits for an edit.
 */
function retryInMs(error: unknown): number | null {
  if (error instanceof KairosApiError && !(error.status === 408 || error.status === 429 || error.status >= 500)) return null;
  return Math.max(retryAfterOf(error) ?? 0, RETRY_MS);
}

/** The status Kairos answered a failed check with, or null when no answer came: the badge says which. */
export function answeredStatus(error: unknown): number | null {
  return error instanceof KairosApiError ? error.status : null;
}
