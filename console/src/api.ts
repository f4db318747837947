import { createKairosClient, KairosApiError, KairosRedirectError, unwrap as unwrapAnswer, type components, type KairosClient } from '../../clients/ts/src/index';
import { noteRetryAfter } from './retry-after';

export { KairosApiError, KairosRedirectError };
export type Schemas = components['schemas'];

const KEY_ITEM = 'kairos.apiKey';

/** The key lives in sessionStorage only: gone when the tab closes, never in a URL. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_ITEM),
  set: (key: string) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

/**
 * Told when Kairos refuses the session's key (its own 401): it was revoked or
 * replaced while the console was open. A 401 from something in front of it (a
 * sign-in proxy whose session ended) says nothing of the key (refusedByKairos).
 */
const refusedKeyListeners = new Set<() => void>();
export function onKeyRefused(listener: () => void): () => void {
  refusedKeyListeners.add(listener);
  return () => refusedKeyListeners.delete(listener);
}

/** The typed client of the public API, on the origin that served the console. */
export function client(key = apiKey.get() ?? undefined): KairosClient {
  return createKairosClient({
    baseUrl: window.location.origin,
    apiKey: key,
    fetch: async (request: Request) => {
      const response = await fetch(request);
      // Only for the key in use: signing in with a wrong key is the sign-in page's own business.
      if (response.status === 401 && key !== undefined && key === apiKey.get() && refusedByKairos(401, await bodyOf(response))) refusedKeyListeners.forEach((l) => l());
      return response;
    },
  });
}

/** An answer's body as JSON, read from a copy (the client reads the answer itself); undefined when it is not JSON. */
async function bodyOf(response: Response): Promise<unknown> {
  try {
    return (await response.clone().json()) as unknown;
  } catch {
    return undefined;
  }
}

/** The code Kairos's error body carries for each refusal of a key (src/api/common/http-error.filter.ts). */
const REFUSAL_CODES: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden' };

/**
 * Whether a 401 or 403 is Kairos's verdict on the key: only its own error
 * body says so. A sign-in proxy in front of it (oauth2-proxy for a request it
 * takes for AJAX, nginx auth_request) answers a bare 401 or 403, often an
 * HTML page, when its own session ended: the key may be fine.
 */
export function refusedByKairos(status: number, body: unknown): boolean {
  const code = REFUSAL_CODES[status];
  if (code === undefined || typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A KairosApiError that is Kairos refusing the key (refusedByKairos). */
export function keyRefusedByKairos(error: unknown): boolean {
  return error instanceof KairosApiError && refusedByKairos(error.status, error.body);
}

/** A 401 or 403 that is not Kairos's own answer: something in front of it refused the request. */
export function refusedInFront(error: unknown): error is KairosApiError {
  return error instanceof KairosApiError && !(error instanceof KairosRedirectError) && REFUSAL_CODES[error.status] !== undefined && !keyRefusedByKairos(error);
}

/** Said of such a refusal (refusedInFront), as of a redirect (redirected): the way on is signing in there, not another key. */
export function refusedInFrontWords(status: number): string {
  return `Something in front of Kairos refused the request (${status}, not Kairos's own answer), such as a sign-in proxy whose session ended. Reload the page (to sign in again there, if so).`;
}

/**
 * The data of an answer, or a thrown KairosApiError (the typed client's
 * unwrap) that also keeps the answer's Retry-After (retryAfterOf): a page
 * that refreshes by itself waits that long before asking again.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let response: Response | undefined;
  try {
    return await unwrapAnswer(
      call.then((answer) => {
        response = answer.response;
        return answer;
      }),
    );
  } catch (error) {
    if (response) noteRetryAfter(error, response);
    throw error;
  }
}

/**
 * The API's own words for a failure: message and each path, never "something
 * went wrong". `where` names a path as the page shows that field (a form
 * says "line 13" where the API says `codes[12]`).
 */
/** `words` rewrites a problem's message in the page's terms (a path it names, as `where` does for its own). */
export function describeError(error: unknown, where: (path: string) => string = (path) => path, words: (message: string) => string = (message) => message): { message: string; details: string[] } {
  // Before the KairosApiError it is: a redirect has no body, and its status is 0 in a browser ("0 from the API" said nothing).
  if (error instanceof KairosRedirectError) return { message: redirected(error.location), details: [] };
  // A bare 401 or 403 (no Kairos body) said "401 from the API", which reads as Kairos refusing the key.
  if (refusedInFront(error)) return { message: refusedInFrontWords(error.status), details: [] };
  if (error instanceof KairosApiError) {
    return {
      message: error.body?.error.message ?? `${error.status} from the API`,
      details: error.body?.error.details.map((d) => (d.path ? `${where(d.path)}: ${words(d.message)}` : words(d.message))) ?? [],
    };
  }
  if (error instanceof Explained) return { message: error.message, details: [...error.details] };
  if (isNoAnswer(error)) return { message: NO_ANSWER, details: [] };
  return { message: error instanceof Error ? error.message : String(error), details: [] };
}

/**
 * Said of a redirect answering the API: Kairos never redirects, so something
 * in front of it did, most likely a sign-in proxy whose session ended. A
 * browser hides where an unfollowed redirect points (`location` null).
 */
export function redirected(location: string | null): string {
  const where = location === null ? 'a redirect (the browser does not say where to)' : `a redirect to ${location}`;
  return `The API answered with ${where}: Kairos does not redirect, so something in front of it did, such as a sign-in proxy whose session ended. Reload the page (to sign in again there, if so).`;
}

/** fetch rejects with a TypeError when no answer came at all ("Failed to fetch" in Chromium, "NetworkError..." in Firefox). */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}

/** A failure the console words itself: a sentence, and lines under it (as the API's problems are shown). */
export class Explained extends Error {
  constructor(
    message: string,
    readonly details: readonly string[],
  ) {
    super(message);
    this.name = 'Explained';
  }
}

/** Said instead of the browser's own words when Kairos did not answer. */
export const NO_ANSWER = 'Kairos did not answer: it may be restarting or the network is down. Pages that refresh by themselves try again; anything else, try again in a moment.';
