import { createContext, useCallback, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { BASE } from './routes';

export { BASE };

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
/** Set once the user has already said yes to dropping their work: the browser's own question would ask a second time. */
let leavingAsked = false;

/** Reloads the page after the user said yes to losing unsaved work in the console's own words. */
export function reloadAfterAsking(): void {
  leavingAsked = true;
  window.location.reload();
}

/**
 * Whether leaving may go ahead: no unsaved work, or the user said so. Also
 * for what unmounts the page without changing address (signing out).
 */
export const confirmLeave = (): boolean => leaveWarning === null || window.confirm(leaveWarning);

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
      if (leavingAsked) return;
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
      if (!confirmLeave()) {
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
    if (!confirmLeave()) return;
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

export { match, type Route } from './routes';

export const href = {
  /** The console's home: the campaigns for an operator, the support desk for support. */
  home: () => BASE,
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
