import { useCallback, useEffect, useRef, useState } from 'react';
import { retryAfterOf } from '../retry-after';
import { useSession } from '../session';
import { asBusy } from './busy';
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

/** `failedWith`: the key (Session.signedIn) the failed request was sent with. */
interface State<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  at: Date | null;
  failedWith?: number;
}

/**
 * Loads with `load`, again when `deps` change, and `refreshMs` after each
 * answer while mounted and visible (createPoller: never two at once; later
 * when an answer asked for a wait). The last data stays on screen while
 * refreshing: counts change in place, nothing jumps. A load that failed is
 * tried again when a new key is accepted (signing in again after a 401).
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<State<T>>({ data: undefined, error: null, loading: true, at: null });
  const loadRef = useRef(load);
  loadRef.current = load;
  const { signedIn } = useSession();
  const signedInRef = useRef(signedIn);
  signedInRef.current = signedIn;
  const poller = useRef<Poller | null>(null);
  const loadedFor = useRef<unknown[] | null>(null);

  useEffect(() => {
    // Only a load for something else clears what is shown: a change of `refreshMs` alone (a journey that ended stops
    // refreshing) keeps it, so the panel does not blink out for one request.
    if (!sameDeps(loadedFor.current, deps)) setState({ data: undefined, error: null, loading: true, at: null });
    loadedFor.current = deps;
    let askedWith = signedInRef.current;
    const p = createPoller({
      load: () => {
        askedWith = signedInRef.current;
        return loadRef.current();
      },
      everyMs: refreshMs,
      hidden: () => document.hidden,
      waitAfter: retryAfterOf,
      onStart: () => setState((s) => ({ ...s, loading: true })),
      onData: (data) => setState({ data, error: null, loading: false, at: new Date() }),
      onError: (error, nextInMs) => setState((s) => ({ ...s, error: asBusy(error, nextInMs), loading: false, failedWith: askedWith })),
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

  // A load refused with the old key (401) would stay failed under the new one until the page is left: a one-off load
  // has no next refresh to recover by. Only failed ones: what loaded stays as it is (a draft may be built on it).
  // Keyed by both keys, not a flag: a load re-asked with key B that fails after C replaced B must be asked again too.
  const failedWithOldKey = state.error !== null && state.failedWith !== undefined && state.failedWith !== signedIn ? `${state.failedWith}>${signedIn}` : null;
  useEffect(() => {
    if (failedWithOldKey !== null) poller.current?.reload();
  }, [failedWithOldKey]);

  const reload = useCallback(() => poller.current?.reload(), []);
  const { data, error, loading, at } = state;
  return { data, error, loading, at, reload };
}
