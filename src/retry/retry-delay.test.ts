import { retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  const noJitter = () => 0;
  it('doubles from the first delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 1000, 60_000, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });
  it('never overflows however many attempts failed', () => {
    expect(retryDelayMs(10_000, 1000, 60_000, noJitter)).toBe(60_000);
  });
  it('jitters down by at most a fifth', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(800);
    expect(retryDelayMs(1, 1000, 60_000, () => 0.5)).toBe(900);
  });
});
