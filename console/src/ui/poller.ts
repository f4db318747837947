/**
 * Loads now and again `everyMs` after each load settles, never two at once:
 * a fixed interval would start a new request while a slow one still runs,
 * and each answer would land after a newer request began and be dropped as
 * stale, so a page over a slow route would stop refreshing while the server
 * worked harder. While the page is hidden, refreshes wait; they resume at
 * once when it is shown again.
 */
export interface Poller {
  start(): void;
  /** Loads now (a load under way is superseded: its answer is dropped). */
  reload(): void;
  /** The page became visible again: a refresh that came due meanwhile runs now. */
  shown(): void;
  stop(): void;
}

export function createPoller<T>(opts: {
  load: () => Promise<T>;
  everyMs?: number;
  hidden: () => boolean;
  onData: (data: T) => void;
  onError: (error: unknown) => void;
  /** A load begins (the page may mark itself as refreshing). */
  onStart?: () => void;
}): Poller {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = false;
  let stopped = false;

  const schedule = () => {
    if (stopped || !opts.everyMs) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (opts.hidden()) due = true;
      else run();
    }, opts.everyMs);
  };

  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    due = false;
    const mine = ++generation;
    opts.onStart?.();
    opts.load().then(
      (data) => {
        if (mine !== generation || stopped) return;
        opts.onData(data);
        schedule();
      },
      (error: unknown) => {
        if (mine !== generation || stopped) return;
        opts.onError(error);
        schedule();
      },
    );
  };

  return {
    start: run,
    reload: run,
    shown: () => {
      if (due && !stopped) run();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
