import { describeError, Explained, KairosApiError, KairosRedirectError, NO_ANSWER, redirected } from '../../api';
import { retryAfterOf } from '../../retry-after';

/** Only these answers judge the key itself: unknown or revoked (401), or without a role the console can use (403). */
export function keyRefused(error: unknown): boolean {
  return error instanceof KairosApiError && (error.status === 401 || error.status === 403);
}

const KEPT = 'The key is kept: press Sign in to try again.';

/**
 * What a failed key check (GET /v1/whoami) says. A refusal keeps the API's
 * own words; anything else (Kairos restarting, overloaded, out of reach)
 * says nothing about the key, which is kept for another try.
 */
export function checkFailure(error: unknown): unknown {
  if (keyRefused(error)) return error;
  // Before the KairosApiError it is: a redirect (a sign-in proxy in front of Kairos) says nothing of the key.
  if (error instanceof KairosRedirectError) return new Explained(redirected(error.location), [KEPT]);
  if (error instanceof KairosApiError) {
    const said = error.body?.error.message ? [`Kairos said: ${error.body.error.message}`] : [];
    if (error.status === 429) {
      const wait = retryAfterOf(error);
      return new Explained(`Kairos is busy (429: too many requests); try again ${wait ? `in ${Math.ceil(wait / 1000)} s` : 'in a moment'}.`, [KEPT, ...said]);
    }
    if (error.status >= 500) return new Explained(`Kairos is not answering (${error.status}); try again in a moment.`, [KEPT, ...said]);
    return new Explained(`Kairos could not check the key (${error.status}).`, [KEPT, ...said]);
  }
  const { message } = describeError(error);
  if (message === NO_ANSWER) return new Explained('Kairos is not answering (no answer came: it may be restarting, or the network is down); try again in a moment.', [KEPT]);
  return new Explained(`Kairos could not check the key (${message}).`, [KEPT]);
}
