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
 */
export function oncePerScrape<T>(read: () => Promise<T>, timeoutMs = SCRAPE_READ_TIMEOUT_MS): () => Promise<T | null> {
  let last: Promise<T | null> | null = null;
  return () => {
    last ??= withTimeout(read(), timeoutMs)
      .catch(() => null)
      .finally(() => setImmediate(() => (last = null)));
    return last;
  };
}

/** One gauge read at scrape time: its name, help, and its value in what `read` answered. */
export type ScrapedGauge<T> = [name: string, help: string, value: (read: T) => number];

/** Unlabelled gauges that share one database read per scrape (oncePerScrape): they keep their last values when it fails. */
export function registerScrapedGauges<T>(registry: Registry, read: () => Promise<T>, gauges: Array<ScrapedGauge<T>>): void {
  const once = oncePerScrape(read);
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
