import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { oncePerScrape } from '../../observability/once-per-scrape';
import { PoolsRepository, type PoolBudget } from '../../store/repositories/pools.repository';

/**
 * Budget left per pool, read at each scrape (pools are few: operators make
 * them). With the total alongside, an alert can fire on a share left
 * rather than a number that means nothing across pools.
 */
@Injectable()
export class PoolsMetrics {
  constructor(@Inject(Registry) registry: Registry, pools: PoolsRepository) {
    // Every gauge is collected in one scrape: one query serves them.
    const read = oncePerScrape(() => pools.budgets());
    const gauges: Array<[name: string, help: string, value: (b: PoolBudget) => number]> = [
      ['kairos_pool_budget_total', 'Budget of each pool that has one.', (b) => b.budget],
      ['kairos_pool_budget_left', 'Budget each pool has left (budget minus what issued, unreclaimed rewards hold).', (b) => b.left],
    ];
    for (const [name, help, value] of gauges) {
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers: [registry],
        async collect() {
          const budgets = await read();
          if (!budgets) return;
          this.reset();
          for (const b of budgets) this.set({ pool: b.key }, value(b));
        },
      });
    }
  }
}
