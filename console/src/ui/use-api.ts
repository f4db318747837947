import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** When the data shown was fetched. */
  at: Date | null;
  reload: () => void;
}

/**
 * Loads with `load`, again when `deps` change, and every `refreshMs` while
 * mounted. The last data stays on screen while refreshing: counts change in
 * place, nothing jumps.
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; at: Date | null }>({ data: undefined, error: null, loading: true, at: null });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => mine === generation.current && setState({ data, error: null, loading: false, at: new Date() }),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, []);

  useEffect(() => {
    setState({ data: undefined, error: null, loading: true, at: null });
    run();
    if (!refreshMs) return undefined;
    const timer = setInterval(run, refreshMs);
    return () => clearInterval(timer);
  }, [...deps, refreshMs]);

  return { ...state, reload: run };
}
