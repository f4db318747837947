import { oncePerScrape } from './once-per-scrape';

describe('oncePerScrape', () => {
  it('shares one read among the gauges of a scrape', async () => {
    let reads = 0;
    const read = oncePerScrape(async () => ++reads);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    await new Promise((r) => setImmediate(r));
    expect(await read()).toBe(2);
  });

  it('gives null for a read that fails, and for one that does not answer in time (the scrape still answers)', async () => {
    expect(await oncePerScrape(async () => Promise.reject(new Error('down')))()).toBeNull();
    const never = oncePerScrape(() => new Promise<number>(() => undefined), 50);
    // A read that never settles: without the bound this test would wait for ever.
    expect(await never()).toBeNull();
  });
});
