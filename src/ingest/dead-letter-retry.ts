/** How a message whose dead letter could not be published is tried again: `firstMs` after the first failure, doubling, at most `maxMs`. */
export interface DeadLetterRetry {
  firstMs: number;
  maxMs: number;
}

export const DEAD_LETTER_RETRY: DeadLetterRetry = { firstMs: 30_000, maxMs: 15 * 60_000 };

/**
 * How long before the `attempt`th try (1 for the first failure) of a dead
 * letter that could not be published (a full stream or queue, the broker
 * refusing it) comes again: 30 s, then twice as long each time, up to 15
 * minutes. Tried at a fixed pace, every such message came back as often as
 * the trouble lasted, each time with a warning.
 */
export function deadLetterRetryMs(attempt: number, retry: DeadLetterRetry = DEAD_LETTER_RETRY): number {
  return Math.min(retry.maxMs, retry.firstMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}
