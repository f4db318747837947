import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { oncePerScrape, SCRAPE_READ_TIMEOUT_MS, SCRAPED_READ_MIN_INTERVAL_MS } from '../../observability/once-per-scrape';
import { RetentionRepository } from '../../store/repositories/retention.repository';

const RETENTION_DONE_METRIC = 'kairos_retention_done_timestamp_seconds';

/**
 * When a retention pass last pruned each kind to its end, read from
 * PostgreSQL at each scrape (the worker stores it as the pass goes). A pass
 * whose batches keep failing retries for ever while its Schedule skips every
 * start; KairosRetentionStalled reads this. A kind no pass has finished
 * yet reads as the worker's boot that gave it its first row (baselineDone);
 * a kind kept for ever has no series. While the database does not answer,
 * the gauge keeps its values.
 */
@Injectable()
export class RetentionMetrics {
  constructor(@Inject(Registry) registry: Registry, retention: RetentionRepository) {
    // At most one read per SCRAPED_READ_MIN_INTERVAL_MS, however often /metrics is asked.
    const read = oncePerScrape(() => retention.lastDone(), SCRAPE_READ_TIMEOUT_MS, SCRAPED_READ_MIN_INTERVAL_MS);
    new Gauge({
      name: RETENTION_DONE_METRIC,
      help: 'When a retention pass last pruned each kind to its end (unix seconds).',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        const done = await read();
        if (!done) return;
        this.reset();
        for (const d of done) this.set({ kind: d.kind }, d.seconds);
      },
    });
  }
}
