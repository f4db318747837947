/**
 * Loads now and again `everyMs` after each load settles, never two at once:
 * a fixed interval would start a new request while a slow one still runs,
 * and each answer would land after a newer request began and be dropped as
 * stale, so a page over a slow route would stop refreshing while the server
 * worked harder. While the page is hidden, refreshes wait; they resume at
 * once when it is shown again. A failure whose answer asked for a wait (a
 * 429's or 503's Retry-After, `waitAfter`) is asked again no sooner than
 * that: polling on at the usual pace would only keep an overloaded server
 * overloaded. A load that does not refresh is asked again after such a
 * wait too (and only then), so it comes once the server can answer.
 */
export interface Poller {
  start(): void;
  /** Loads now (a load under way is superseded: its answer is dropped). */
  reload(): void;
  /** The page became visible again: a refresh that came due meanwhile runs now. */
  shown(): void;
  stop(): void;
}

/** The least a one-off load waits before it is asked again: a "Retry-After: 0" must not become a loop of requests. */
export const ONE_OFF_RETRY_FLOOR_MS = 2_000;

export function createPoller<T>(opts: {
  load: () => Promise<T>;
  everyMs?: number;
  hidden: () => boolean;
  onData: (data: T) => void;
  /** `nextInMs`: when the next load is due (none without `everyMs`, unless the answer asked for a wait). */
  onError: (error: unknown, nextInMs: number | undefined) => void;
  /** How long the answer behind `error` asked to wait before the next request, if it asked. */
  waitAfter?: (error: unknown) => number | undefined;
  /** A load begins (the page may mark itself as refreshing). */
  onStart?: () => void;
}): Poller {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = false;
  let stopped = false;

  const schedule = (afterMs: number | undefined) => {
    if (stopped || afterMs === undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (opts.hidden()) due = true;
      else run();
    }, afterMs);
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
        schedule(opts.everyMs || undefined);
      },
      (error: unknown) => {
        if (mine !== generation || stopped) return;
        const asked = opts.waitAfter?.(error);
        // A load that does not refresh is asked again only when its answer said when: a page that loads once
        // would otherwise stay empty behind a "busy" it was told would pass.
        const next = asked === undefined ? opts.everyMs || undefined : Math.max(asked, opts.everyMs || ONE_OFF_RETRY_FLOOR_MS);
        opts.onError(error, next);
        schedule(next);
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
