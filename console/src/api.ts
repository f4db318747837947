import { createKairosClient, KairosApiError, unwrap, type components, type KairosClient } from '../../clients/ts/src/index';

export { KairosApiError, unwrap };
export type Schemas = components['schemas'];

const KEY_ITEM = 'kairos.apiKey';

/** The key lives in sessionStorage only: gone when the tab closes, never in a URL. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_ITEM),
  set: (key: string) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

/** The typed client of the public API, on the origin that served the console. */
export function client(key = apiKey.get() ?? undefined): KairosClient {
  return createKairosClient({ baseUrl: window.location.origin, apiKey: key });
}

/**
 * The API's own words for a failure: message and each path, never "something
 * went wrong". `where` names a path as the page shows that field (a form
 * says "line 13" where the API says `codes[12]`).
 */
export function describeError(error: unknown, where: (path: string) => string = (path) => path): { message: string; details: string[] } {
  if (error instanceof KairosApiError) {
    return {
      message: error.body?.error.message ?? `${error.status} from the API`,
      details: error.body?.error.details.map((d) => (d.path ? `${where(d.path)}: ${d.message}` : d.message)) ?? [],
    };
  }
  // fetch rejects with a TypeError when no answer came at all ("Failed to fetch" in Chromium, "NetworkError..." in Firefox).
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) return { message: NO_ANSWER, details: [] };
  return { message: error instanceof Error ? error.message : String(error), details: [] };
}

/** Said instead of the browser's own words when Kairos did not answer. */
export const NO_ANSWER = 'Kairos did not answer: it may be restarting or the network is down. Pages that refresh by themselves try again; anything else, try again in a moment.';
