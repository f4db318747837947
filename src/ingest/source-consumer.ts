import { withTimeout } from '../retry/with-timeout';

/** A running source: one broker connection and consumer of its own, so sources are kept apart. */
export interface SourceConsumer {
  readonly key: string;
  /** True while connected to the broker and consuming. */
  readonly connected: boolean;
  /**
   * Why the last attempt to consume failed, in the broker's words; while
   * consuming, a trouble the source still has (RabbitMQ: a connection the
   * broker blocks, messages that keep coming back); null otherwise.
   */
  readonly lastError: string | null;
  start(): void;
  stop(): Promise<void>;
}

/** Whether `work` settles, either way, within `ms` (withTimeout: the timer does not hold the process). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return (await withTimeout(work.then(() => true, () => true), ms)) !== null;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Resolves once stop() was called: a consumer waits on it beside whatever it
 * waits for (a connection, a closed channel, a backoff), so a stop never
 * waits out a connect attempt or a backoff, and a connection that opens
 * after the stop is closed instead of consumed from.
 */
export class StopSignal {
  private fire!: () => void;
  readonly stopped: Promise<void> = new Promise<void>((resolve) => (this.fire = resolve));
  private done = false;

  get requested(): boolean {
    return this.done;
  }

  request(): void {
    this.done = true;
    this.fire();
  }

  /** Waits for `work` or the stop, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T | undefined> {
    return Promise.race([work, this.stopped.then(() => undefined)]);
  }
}
