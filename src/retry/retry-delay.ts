/**
 * Delay before the next attempt after `attempts` failed ones (a queued
 * delivery, a journey run that is starting, a lost connection to PostgreSQL
 * or a broker): doubling from `firstMs`, capped at `maxMs`, with up to 20%
 * jitter so that instances retrying after the same outage do not all come
 * back at the same moment.
 */
export function retryDelayMs(attempts: number, firstMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const base = Math.min(maxMs, firstMs * 2 ** exponent);
  return Math.round(base * (1 - 0.2 * random()));
}
