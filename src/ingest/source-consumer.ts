/** A running source: one broker connection and consumer of its own, so sources are kept apart. */
export interface SourceConsumer {
  readonly key: string;
  /** True while connected to the broker and consuming. */
  readonly connected: boolean;
  /** Why the last attempt to consume failed, in the broker's words; null once consuming. */
  readonly lastError: string | null;
  start(): void;
  stop(): Promise<void>;
}

/** Retries with doubling delays, for broker (re)connection. */
export class Backoff {
  private ms: number;
  constructor(
    private readonly firstMs = 250,
    private readonly maxMs = 5_000,
  ) {
    this.ms = firstMs;
  }
  next(): number {
    const ms = this.ms;
    this.ms = Math.min(this.ms * 2, this.maxMs);
    return ms;
  }
  reset(): void {
    this.ms = this.firstMs;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
