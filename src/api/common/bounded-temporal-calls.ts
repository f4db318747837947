import type { Client } from '@temporalio/client';

/**
 * Temporal calls that must not outlive a short wait (health checks, metrics
 * scrapes). The client retries an unavailable server inside its own timers;
 * a deadline ends those retries, and drain() lets shutdown wait for the
 * stragglers, since a retry timer that fires after the connection closed
 * throws where nobody can catch it.
 */
export class BoundedTemporalCalls {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly client: Client) {}

  run<T>(timeoutMs: number, fn: (client: Client) => Promise<T>): Promise<T> {
    const call = this.client.connection.withDeadline(Date.now() + timeoutMs, () => fn(this.client));
    const tracked = call.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return call;
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
