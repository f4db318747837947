import { Registry } from 'prom-client';
import type { PoolBudget, PoolCodes, PoolsRepository } from '../../store/repositories/pools.repository';
import { PoolsMetrics } from './pools.metrics';

/** The samples of one metric family in a scrape, by their `pool` label. */
async function samples(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.pool), v.value]));
}

/** PoolsMetrics over pools as the repository reports them. */
function registryOver(budgets: PoolBudget[], codes: PoolCodes[]): Registry {
  const registry = new Registry();
  const pools = { budgets: async () => budgets, codes: async () => codes } as unknown as PoolsRepository;
  new PoolsMetrics(registry, pools);
  return registry;
}

describe('PoolsMetrics', () => {
  it('shows the codes a coupon pool has left, also when it has no budget: spent, it answers noCodes to every issue', async () => {
    // `welcome-coupons` has no budget and handed out all 10 codes; `refunds` has budget left that its voided codes do not follow.
    const registry = registryOver([{ key: 'refunds', budget: 500, used: 440, left: 60 }], [
      { key: 'welcome-coupons', total: 10, left: 0 },
      { key: 'refunds', total: 500, left: 0 },
    ]);
    expect(await samples(registry, 'kairos_pool_codes_left')).toEqual({ 'welcome-coupons': 0, refunds: 0 });
    expect(await samples(registry, 'kairos_pool_codes_total')).toEqual({ 'welcome-coupons': 10, refunds: 500 });
    expect(await samples(registry, 'kairos_pool_budget_left')).toEqual({ refunds: 60 });
  });

  it('reads the pools at most once per 5 s, however often /metrics is asked (review 59, finding 3)', async () => {
    const registry = new Registry();
    const reads = { budgets: 0, codes: 0 };
    const pools = {
      budgets: async () => (reads.budgets++, [{ key: 'refunds', budget: 500, used: 0, left: 500 }]),
      codes: async () => (reads.codes++, [{ key: 'refunds', total: 5, left: 5 }]),
    } as unknown as PoolsRepository;
    new PoolsMetrics(registry, pools);
    for (let i = 0; i < 20; i++) {
      await registry.metrics();
      await new Promise((r) => setImmediate(r));
    }
    expect(reads).toEqual({ budgets: 1, codes: 1 });
  });
});
