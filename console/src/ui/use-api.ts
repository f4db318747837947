import { useCallback, useEffect, useRef, useState } from 'react';
import { createPoller, type Poller } from './poller';
import { sameDeps } from './same-deps';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** When the data shown was fetched. */
  at: Date | null;
  reload: () => void;
}

/**
 * Loads with `load`, again when `deps` change, and `refreshMs` after each
 * answer while mounted and visible (createPoller: never two at once). The
 * last data stays on screen while refreshing: counts change in place,
 * nothing jumps.
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; at: Date | null }>({ data: undefined, error: null, loading: true, at: null });
  const loadRef = useRef(load);
  loadRef.current = load;
  const poller = useRef<Poller | null>(null);
  const loadedFor = useRef<unknown[] | null>(null);

  useEffect(() => {
    // Only a load for something else clears what is shown: a change of `refreshMs` alone (a journey that ended stops
    // refreshing) keeps it, so the panel does not blink out for one request.
    if (!sameDeps(loadedFor.current, deps)) setState({ data: undefined, error: null, loading: true, at: null });
    loadedFor.current = deps;
    const p = createPoller({
      load: () => loadRef.current(),
      everyMs: refreshMs,
      hidden: () => document.hidden,
      onStart: () => setState((s) => ({ ...s, loading: true })),
      onData: (data) => setState({ data, error: null, loading: false, at: new Date() }),
      onError: (error) => setState((s) => ({ ...s, error, loading: false })),
    });
    poller.current = p;
    const onVisibility = () => {
      if (!document.hidden) p.shown();
    };
    document.addEventListener('visibilitychange', onVisibility);
    p.start();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      p.stop();
    };
  }, [...deps, refreshMs]);

  const reload = useCallback(() => poller.current?.reload(), []);
  return { ...state, reload };
}
