import { deadLetterRetryMs } from './dead-letter-retry';

describe('deadLetterRetryMs: when a message whose dead letter failed comes back', () => {
  it('waits 30 s after the first failure, doubling with each one after, at most 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((n) => deadLetterRetryMs(n))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000, 900_000]);
    expect(deadLetterRetryMs(0)).toBe(30_000);
    expect([1, 2, 3, 4].map((n) => deadLetterRetryMs(n, { firstMs: 500, maxMs: 2_000 }))).toEqual([500, 1_000, 2_000, 2_000]);
  });
});
