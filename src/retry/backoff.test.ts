import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles with each failure up to the cap, and starts again after a reset', () => {
    const backoff = new Backoff(250, 5_000, () => 0);
    expect(Array.from({ length: 7 }, () => backoff.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    backoff.reset();
    expect([backoff.next(), backoff.next()]).toEqual([250, 500]);
  });

  it('jitters each delay down by at most a fifth, so instances do not retry in step', () => {
    const backoff = new Backoff(1000, 60_000, () => 1);
    expect([backoff.next(), backoff.next()]).toEqual([800, 1600]);
  });
});
