import { Registry } from 'prom-client';
import { oncePerScrape, registerScrapedGauges } from './once-per-scrape';

describe('oncePerScrape', () => {
  it('shares one read among the gauges of a scrape', async () => {
    let reads = 0;
    const read = oncePerScrape(async () => ++reads);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    await new Promise((r) => setImmediate(r));
    expect(await read()).toBe(2);
  });

  it('with a minimum interval, gives the last answer to the scrapes after it, a failed read\'s too, until the interval has passed', async () => {
    let clock = 0;
    let reads = 0;
    let fails = false;
    const read = oncePerScrape(async () => (fails ? Promise.reject(new Error('down')) : ++reads), 2_000, 1_000, () => clock);
    expect(await read()).toBe(1);
    await new Promise((r) => setImmediate(r));
    clock = 999;
    expect(await read()).toBe(1);
    clock = 1_000;
    fails = true;
    expect(await read()).toBeNull();
    await new Promise((r) => setImmediate(r));
    // A failed read is not tried again at once either (a Temporal that refuses for its rate limit is not asked harder).
    fails = false;
    clock = 1_999;
    expect(await read()).toBeNull();
    clock = 2_000;
    expect(await read()).toBe(2);
  });

  it('gives null for a read that fails, and for one that does not answer in time (the scrape still answers)', async () => {
    expect(await oncePerScrape(async () => Promise.reject(new Error('down')))()).toBeNull();
    const never = oncePerScrape(() => new Promise<number>(() => undefined), 50);
    // A read that never settles: without the bound this test would wait for ever.
    expect(await never()).toBeNull();
  });
});

describe('registerScrapedGauges', () => {
  it('reads PostgreSQL at most once per 5 s, however often /metrics is asked: an open /metrics polled in a loop (review 59, finding 3)', async () => {
    const registry = new Registry();
    let reads = 0;
    registerScrapedGauges(registry, async () => ({ pending: ++reads }), [
      ['test_pending', 'pending', (r) => r.pending],
      ['test_pending_again', 'pending again', (r) => r.pending],
    ]);
    for (let i = 0; i < 20; i++) {
      expect(await registry.metrics()).toContain('test_pending 1\n');
      await new Promise((r) => setImmediate(r));
    }
    expect(reads).toBe(1);
  });
});
