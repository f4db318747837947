import type { Gauge } from 'prom-client';

/**
 * One source's messages that this instance took from the broker and has
 * not settled yet (acknowledged, or handed back), shown as
 * kairos_source_unacknowledged. The broker's own lag does not count them:
 * RabbitMQ's ready count leaves out what sits unacknowledged on a channel,
 * and JetStream's pending count what was delivered.
 */
export class UnacknowledgedCount {
  private count = 0;
  /** Bumped when the connection goes: settling a delivery of an earlier connection changes nothing. */
  private connection = 0;

  constructor(
    private readonly gauge: Gauge<'source'>,
    private readonly source: string,
  ) {}

  /** A delivery taken; the answer settles it, once, however often it is called. */
  take(): () => void {
    this.count++;
    this.show();
    const connection = this.connection;
    let settled = false;
    return () => {
      if (settled || connection !== this.connection) return;
      settled = true;
      this.count--;
      this.show();
    };
  }

  /** A connection made or gone: the broker has every delivery of the one before back. */
  newConnection(): void {
    this.connection++;
    this.count = 0;
    this.show();
  }

  private show(): void {
    this.gauge.set({ source: this.source }, this.count);
  }
}
