import { retryDelayMs } from './retry-delay';

/**
 * The delays for retrying one thing until it works (a connection, a reload,
 * a store): retryDelayMs of the failures so far; reset() after a success.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt, counting one more failure. */
  next(): number {
    this.failures += 1;
    return retryDelayMs(this.failures, this.firstMs, this.maxMs, this.random);
  }

  reset(): void {
    this.failures = 0;
  }
}
