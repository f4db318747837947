import { describeError, Explained, KairosApiError, KairosRedirectError, keyRefusedByKairos, NO_ANSWER, redirected, refusedInFront, refusedInFrontWords } from '../../api';
import { retryAfterOf } from '../../retry-after';

/**
 * Only these answers judge the key itself: Kairos's own 401 (unknown or
 * revoked) or 403 (without a role the console can use), told by its error
 * body. A bare 401 or 403 came from something in front of Kairos (a sign-in
 * proxy whose session ended): dropping the key for it would drop a good one.
 */
export function keyRefused(error: unknown): boolean {
  return keyRefusedByKairos(error);
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
  if (refusedInFront(error)) return new Explained(refusedInFrontWords(error.status), [KEPT]);
  if (error instanceof KairosApiError) {
    const said = error.body?.error.message ? [`Kairos said: ${error.body.error.message}`] : [];
    // A 503's Retry-After too (Kairos starting, a proxy draining): "in a moment" sent people back at once, to be turned away again.
    const wait = retryAfterOf(error);
    const again = `try again ${wait ? `in ${Math.ceil(wait / 1000)} s` : 'in a moment'}`;
    if (error.status === 429) return new Explained(`Kairos is busy (429: too many requests); ${again}.`, [KEPT, ...said]);
    if (error.status >= 500) return new Explained(`Kairos is not answering (${error.status}); ${again}.`, [KEPT, ...said]);
    return new Explained(`Kairos could not check the key (${error.status}).`, [KEPT, ...said]);
  }
  const { message } = describeError(error);
  if (message === NO_ANSWER) return new Explained('Kairos is not answering (no answer came: it may be restarting, or the network is down); try again in a moment.', [KEPT]);
  return new Explained(`Kairos could not check the key (${message}).`, [KEPT]);
}
