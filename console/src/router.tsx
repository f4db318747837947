import { createContext, useCallback, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** All pages live under /console; reloading a page keeps it (the API falls back to index.html). */
export const BASE = '/console';

interface Location {
  path: string;
  search: URLSearchParams;
}

const read = (): Location => ({ path: window.location.pathname.replace(/\/+$/, '') || BASE, search: new URLSearchParams(window.location.search) });

const RouterContext = createContext<{ location: Location; navigate: (to: string) => void }>({ location: read(), navigate: () => undefined });

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const onPop = () => setLocation(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setLocation(read());
    window.scrollTo(0, 0);
  }, []);
  return <RouterContext.Provider value={{ location, navigate }}>{children}</RouterContext.Provider>;
}

export const useRouter = () => useContext(RouterContext);

/** A plain link that changes page without reloading; modified clicks open as the browser would. */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { navigate } = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

export type Route =
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
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'campaigns')) return { page: 'campaigns' };
  if (parts[0] === 'campaigns' && parts.length === 2) return { page: 'campaign', key: parts[1] };
  if (parts[0] === 'campaigns' && parts.length === 3 && parts[2] === 'edit') return { page: 'edit', key: parts[1] };
  if (parts[0] === 'campaigns' && parts.length === 3 && parts[2] === 'diff') return { page: 'diff', key: parts[1] };
  if (parts[0] === 'new' && parts.length === 1) return { page: 'edit', key: null };
  if (parts[0] === 'users' && parts.length <= 2) return { page: 'users', id: parts[1] ?? null };
  if (parts[0] === 'held' && parts.length === 1) return { page: 'held' };
  if (parts[0] === 'pools' && parts.length === 1) return { page: 'pools' };
  return { page: 'not-found' };
}

export const href = {
  campaigns: () => `${BASE}/campaigns`,
  /** A campaign; with `version`, that version shown (in the query, so a reload or a link keeps it). */
  campaign: (key: string, version?: number) => `${BASE}/campaigns/${encodeURIComponent(key)}${version !== undefined ? `?version=${version}` : ''}`,
  edit: (key: string) => `${BASE}/campaigns/${encodeURIComponent(key)}/edit`,
  /** Two versions compared; `from` and `to` in the query, so the page can change them and reloading keeps them. */
  diff: (key: string, from?: number, to?: number) => `${BASE}/campaigns/${encodeURIComponent(key)}/diff${from !== undefined && to !== undefined ? `?from=${from}&to=${to}` : ''}`,
  newCampaign: () => `${BASE}/new`,
  user: (id: string) => `${BASE}/users/${encodeURIComponent(id)}`,
  users: () => `${BASE}/users`,
  held: () => `${BASE}/held`,
  pools: () => `${BASE}/pools`,
};
