import { Registry } from 'prom-client';
import { oncePerScrape, registerScrapedGauges } from './once-per-scrape';

/** Past the read's settling and the tick after it. */
const ticks = async () => {
  for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
};

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

  it('starts no read while one that timed out still runs, and counts the interval from its end (review 62, finding 1)', async () => {
    let clock = 0;
    let started = 0;
    let finish: (value: number) => void = () => undefined;
    const read = oncePerScrape(
      () => {
        started++;
        return new Promise<number>((resolve) => (finish = resolve));
      },
      10,
      1_000,
      () => clock,
    );
    expect(await read()).toBeNull();
    await new Promise((r) => setImmediate(r));
    // Long past the interval: the first read still holds its connection, so the scrapes get the last values (null).
    clock = 5_000;
    expect(await read()).toBeNull();
    clock = 60_000;
    expect(await read()).toBeNull();
    expect(started).toBe(1);
    // It ends (its late answer is not given: the scrapes had null), and the interval runs from then.
    clock = 61_000;
    finish(7);
    await ticks();
    clock = 61_999;
    expect(await read()).toBeNull();
    expect(started).toBe(1);
    clock = 62_000;
    const next = read();
    expect(started).toBe(2);
    finish(8);
    expect(await next).toBe(8);
  });

  it('after a read that failed late, still starts one at a time', async () => {
    let clock = 0;
    let started = 0;
    let fail: (err: Error) => void = () => undefined;
    const read = oncePerScrape(
      () => {
        started++;
        return new Promise<number>((_, reject) => (fail = reject));
      },
      10,
      1_000,
      () => clock,
    );
    expect(await read()).toBeNull();
    await ticks();
    clock = 5_000;
    expect(await read()).toBeNull();
    expect(started).toBe(1);
    fail(new Error('canceling statement due to statement timeout'));
    await ticks();
    clock = 10_000;
    void read();
    expect(started).toBe(2);
  });

  it('takes a read that throws before it returns a promise as a failed read', async () => {
    const read = oncePerScrape<number>(() => {
      throw new Error('no connection');
    });
    expect(await read()).toBeNull();
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
