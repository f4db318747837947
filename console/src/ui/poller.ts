import { isNoAnswer, KairosApiError } from '../api';

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
 * wait too, so it comes once the server can answer; and after no answer at
 * all or a 5xx (a restart, a deploy, a proxy between them), with a wait that
 * doubles up to a minute: a part of the page that other parts wait for would
 * otherwise stay empty until the page is reloaded. A refusal (4xx) asking
 * nothing more is not asked again: the same request gets the same answer.
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
/** The most a one-off load that got no answer or a 5xx waits before it is asked again. */
export const ONE_OFF_RETRY_CAP_MS = 60_000;

/**
 * No answer at all (as api.ts tells it), or a server's failure: both tend to
 * pass, unlike a refusal. Except Kairos's own 503 without Retry-After: that
 * is Kairos saying the same request will get the same answer until something
 * else changes (src/api/common/errors.ts), so it is not asked on a timer.
 */
export function passingFailure(error: unknown): boolean {
  if (!(error instanceof KairosApiError)) return isNoAnswer(error);
  const notOnATimer = error.status === 503 && error.body !== undefined && error.retryAfterSeconds === null;
  return error.status >= 500 && !notOnATimer;
}

/** The wait before the `failedInARow`th ask again of a one-off load: doubling from the floor, up to the cap. */
const backOff = (failedInARow: number) => Math.min(ONE_OFF_RETRY_FLOOR_MS * 2 ** (failedInARow - 1), ONE_OFF_RETRY_CAP_MS);

export function createPoller<T>(opts: {
  load: () => Promise<T>;
  everyMs?: number;
  hidden: () => boolean;
  onData: (data: T) => void;
  /** `nextInMs`: when the next load is due (none without `everyMs`, unless the answer asked for a wait, or none came, or a 5xx). */
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
  let failedInARow = 0;

  /** When a failed load is asked again (undefined: not by itself). */
  const nextAfter = (error: unknown): number | undefined => {
    const asked = opts.waitAfter?.(error);
    if (asked !== undefined) return Math.max(asked, opts.everyMs || ONE_OFF_RETRY_FLOOR_MS);
    if (opts.everyMs) return opts.everyMs;
    return passingFailure(error) ? backOff(failedInARow) : undefined;
  };

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
        failedInARow = 0;
        opts.onData(data);
        schedule(opts.everyMs || undefined);
      },
      (error: unknown) => {
        if (mine !== generation || stopped) return;
        failedInARow += 1;
        const next = nextAfter(error);
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
