import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { oncePerScrape, SCRAPE_READ_TIMEOUT_MS, SCRAPED_READ_MIN_INTERVAL_MS, type ScrapedGauge } from '../../observability/once-per-scrape';
import { PoolsRepository } from '../../store/repositories/pools.repository';

/**
 * Budget and codes left per pool, read at each scrape (pools are few:
 * operators make them; the label is the pool's key). With the totals
 * alongside, an alert can fire on a share left rather than a number that
 * means nothing across pools. Codes are their own series: a coupon pool
 * without a budget has only them, and one with a budget can run out of codes
 * first (a reclaimed coupon gives its budget back but voids its code).
 */
@Injectable()
export class PoolsMetrics {
  constructor(@Inject(Registry) registry: Registry, pools: PoolsRepository) {
    registerPoolGauges(registry, () => pools.budgets(), [
      ['kairos_pool_budget_total', 'Budget of each pool that has one.', (b) => b.budget],
      ['kairos_pool_budget_left', 'Budget each pool has left (budget minus what issued, unreclaimed rewards hold).', (b) => b.left],
    ]);
    registerPoolGauges(registry, () => pools.codes(), [
      ['kairos_pool_codes_total', 'Codes each coupon pool was given (at creation and by top-ups).', (c) => c.total],
      ['kairos_pool_codes_left', 'Codes each coupon pool can still hand out (total minus issued minus voided by reclaims); at 0 every issue answers exhausted: noCodes.', (c) => c.left],
    ]);
  }
}

/**
 * Gauges labelled by pool that share one database read per scrape, and per SCRAPED_READ_MIN_INTERVAL_MS (an open
 * /metrics polled in a loop): they keep their last values when it fails.
 */
function registerPoolGauges<T extends { key: string }>(registry: Registry, read: () => Promise<T[]>, gauges: Array<ScrapedGauge<T>>): void {
  const once = oncePerScrape(read, SCRAPE_READ_TIMEOUT_MS, SCRAPED_READ_MIN_INTERVAL_MS);
  for (const [name, help, value] of gauges) {
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      async collect() {
        const pools = await once();
        if (!pools) return;
        // Reset first: the series are the pools this read returned, none left over from an earlier one.
        this.reset();
        for (const p of pools) this.set({ pool: p.key }, value(p));
      },
    });
  }
}
