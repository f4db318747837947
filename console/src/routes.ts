/** The console's pages by URL, apart from React so they can be tested alone. */
/** All pages live under /console; reloading a page keeps it (the API falls back to index.html). */
export const BASE = '/console';

export type Route =
  /** `/console` itself: each role's own first page. */
  | { page: 'home' }
  | { page: 'campaigns' }
  | { page: 'campaign'; key: string }
  | { page: 'edit'; key: string | null }
  | { page: 'diff'; key: string }
  | { page: 'users'; id: string | null }
  | { page: 'held' }
  | { page: 'pools' }
  | { page: 'not-found' };

/** `/console/campaigns/:key` and friends (CONSOLE.md, "Predictable URLs"). */
export function match(path: string): Route {
  const rest = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  const parts = decodedParts(rest);
  // A stray `%` (a hand-typed or tool-built link, "50%off") is no path the console has: said so, as for any other.
  if (parts === null) return { page: 'not-found' };
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && parts[0] === 'campaigns') return { page: 'campaigns' };
  if (parts[0] === 'campaigns' && parts.length === 2) return { page: 'campaign', key: parts[1] };
  if (parts[0] === 'campaigns' && parts.length === 3 && parts[2] === 'edit') return { page: 'edit', key: parts[1] };
  if (parts[0] === 'campaigns' && parts.length === 3 && parts[2] === 'diff') return { page: 'diff', key: parts[1] };
  if (parts[0] === 'new' && parts.length === 1) return { page: 'edit', key: null };
  if (parts[0] === 'users' && parts.length <= 2) return { page: 'users', id: parts[1] ?? null };
  if (parts[0] === 'held' && parts.length === 1) return { page: 'held' };
  if (parts[0] === 'pools' && parts.length === 1) return { page: 'pools' };
  return { page: 'not-found' };
}

/** The path's parts, each decoded; null when one is not a valid percent-encoding (decodeURIComponent throws URIError). */
function decodedParts(rest: string): string[] | null {
  try {
    return rest.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (err) {
    if (err instanceof URIError) return null;
    throw err;
  }
}
