import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../retry/with-timeout';

/** How long a scrape waits for a database read before its gauges keep their last values. */
export const SCRAPE_READ_TIMEOUT_MS = 2_000;

/**
 * Gauges read from a database at scrape time: every gauge of one scrape
 * shares one read, and a read that fails, or does not answer within
 * `timeoutMs` (a database whose connections hang), gives null: the gauges
 * keep their last values and the scrape still answers, so the other series
 * (the 5xx rate above all) are there during the outage they are for.
 *
 * At most one read runs at any time. The timeout ends only the wait for a
 * read, not the read (withTimeout): a query over a large pending outbox, or
 * one waiting on a lock, goes on holding a pool connection, and the scrapes
 * after it get null until it ends, rather than start another read next to
 * it (one more connection taken from ingestion and the relay at each
 * interval, without any bound under DATABASE_STATEMENT_TIMEOUT_MS=0).
 *
 * `minIntervalMs`: how long after a read settles its answer is still given
 * (a failed read's null too), so back-to-back scrapes (an open /metrics
 * polled in a loop) run at most one read per interval, whatever the request
 * rate. A read that outlives its timeout settles when it ends. 0: only the
 * scrapes that meet share a read. `now` is a monotonic clock in
 * milliseconds (tests give their own).
 */
export function oncePerScrape<T>(
  read: () => Promise<T>,
  timeoutMs = SCRAPE_READ_TIMEOUT_MS,
  minIntervalMs = 0,
  now: () => number = () => performance.now(),
): () => Promise<T | null> {
  let last: Promise<T | null> | null = null;
  // When `last` and the read behind it have both settled, set one tick later (the gauges of that scrape still share it);
  // null while either is in flight, so `last` (null after a timeout) answers until the read itself has ended.
  let settledAt: number | null = null;
  return () => {
    if (last && settledAt !== null && now() - settledAt >= minIntervalMs) last = null;
    if (!last) {
      settledAt = null;
      const work = start(read);
      // Two things to settle: the answer (at the timeout at the latest) and the read itself.
      let unsettled = 2;
      const settle = () => {
        if (--unsettled > 0) return;
        const settled = now();
        setImmediate(() => (settledAt = settled));
      };
      void work.then(settle, settle);
      // Counted before the scrape sees the answer, so the tick above starts after the scrape's own.
      last = withTimeout(work, timeoutMs)
        .catch(() => null)
        .finally(settle);
    }
    return last;
  };
}

/** The read's promise; one that throws before it returns one is a failed read, as a rejection is. */
function start<T>(read: () => Promise<T>): Promise<T> {
  try {
    return read();
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * How long a PostgreSQL read behind gauges (the outbox backlog, unfinished
 * cancels, pool budgets and codes, retention) serves the scrapes after it, as
 * kairos_held_steps' count does: /metrics is open to anyone by default (no
 * METRICS_TOKEN), and a client scraping in a loop would otherwise keep these
 * reads (the outbox's scans the whole pending set) running back to back on
 * the pool that ingestion and /readyz use. Prometheus scrapes every 15 s, so
 * each of its scrapes still gets a fresh read. A read slower than
 * SCRAPE_READ_TIMEOUT_MS is never joined by a second one: the interval
 * starts when it ends (oncePerScrape).
 */
export const SCRAPED_READ_MIN_INTERVAL_MS = 5_000;

/** One gauge read at scrape time: its name, help, and its value in what `read` answered. */
export type ScrapedGauge<T> = [name: string, help: string, value: (read: T) => number];

/**
 * Unlabelled gauges that share one database read per scrape, and per
 * SCRAPED_READ_MIN_INTERVAL_MS (oncePerScrape): they keep their last values
 * when it fails.
 */
export function registerScrapedGauges<T>(registry: Registry, read: () => Promise<T>, gauges: Array<ScrapedGauge<T>>): void {
  const once = oncePerScrape(read, SCRAPE_READ_TIMEOUT_MS, SCRAPED_READ_MIN_INTERVAL_MS);
  for (const [name, help, value] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const answer = await once();
        if (answer) this.set(value(answer));
      },
    });
  }
}
