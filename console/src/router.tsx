import { createContext, useCallback, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** All pages live under /console; reloading a page keeps it (the API falls back to index.html). */
export const BASE = '/console';

interface Location {
  path: string;
  search: URLSearchParams;
}

const read = (): Location => ({ path: window.location.pathname.replace(/\/+$/, '') || BASE, search: new URLSearchParams(window.location.search) });

const RouterContext = createContext<{ location: Location; navigate: (to: string) => void }>({ location: read(), navigate: () => undefined });

/**
 * What a page with unsaved work says before it is left, or null. One at a
 * time: only the editor holds work that is not saved.
 */
let leaveWarning: string | null = null;
/** Whether leaving may go ahead: no unsaved work, or the user said so. */
const mayLeave = () => leaveWarning === null || window.confirm(leaveWarning);

/**
 * While `warning` is set, leaving the page asks first: links inside the
 * console, Back and Forward, and closing or reloading the tab (the browser's
 * own question, which shows no custom text).
 */
export function useLeaveGuard(warning: string | null): void {
  useEffect(() => {
    if (warning === null) return;
    leaveWarning = warning;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the question only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (leaveWarning === warning) leaveWarning = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [warning]);
}

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    // The URL the page shows, to go back to when Back or Forward is refused (the browser has moved already).
    let shown = window.location.href;
    const onPop = () => {
      if (!mayLeave()) {
        window.history.pushState(null, '', shown);
        return;
      }
      shown = window.location.href;
      setLocation(read());
    };
    const onPushed = () => (shown = window.location.href);
    window.addEventListener('popstate', onPop);
    window.addEventListener('kairos:navigated', onPushed);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('kairos:navigated', onPushed);
    };
  }, []);
  const navigate = useCallback((to: string) => {
    if (!mayLeave()) return;
    window.history.pushState(null, '', to);
    window.dispatchEvent(new Event('kairos:navigated'));
    setLocation(read());
    window.scrollTo(0, 0);
  }, []);
  return <RouterContext.Provider value={{ location, navigate }}>{children}</RouterContext.Provider>;
}

export const useRouter = () => useContext(RouterContext);

/**
 * Shows `to` in the address bar in place of the current URL without changing
 * page: the page already shows what is there (a draft just created under
 * /console/new is now that campaign's editor), so a reload opens it.
 */
export function replaceUrl(to: string): void {
  window.history.replaceState(null, '', to);
  window.dispatchEvent(new Event('kairos:navigated'));
}

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
