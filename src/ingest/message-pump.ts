import type { DomainIssue } from '../domain/issues';
import type { IncomingEvent } from '../domain/event';
import { oversizedIssues } from '../domain/json-size';
import { mapMessage, parseMessageBody, type EventMapping } from './event-mapping';
import type { EventSink } from './event-sink';
import type { SourceMetrics } from './source-metrics';

/** One message as a broker handed it over; settled exactly once, by ack or by deadLetter. */
export interface Delivery {
  body: Uint8Array;
  ack(): Promise<void>;
  /** Publishes the message with the reason to the dead-letter queue or subject, then acknowledges it. */
  deadLetter(reason: string): Promise<void>;
  /** Tells the broker the message is still being worked on (NATS: extends the ack wait). */
  keepAlive?(): void;
}

export interface PumpOptions {
  source: string;
  mapping: EventMapping;
  concurrency: number;
  maxBatch: number;
  /** MAX_EVENT_PROPERTIES_BYTES: a message whose properties weigh more is dead-lettered, as POST /v1/events refuses it (413). */
  propertiesCapBytes: number;
  sink: EventSink;
  metrics: SourceMetrics;
  warn(message: string): void;
}

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;

const reasonOf = (issues: DomainIssue[]): string => issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');

/**
 * The broker-independent half of a source: maps each delivery, dead-letters
 * the ones that do not map or that POST /v1/events would refuse as too large, and stores the rest through the sink in batches
 * of what is waiting (up to maxBatch), at most `concurrency` batches at once.
 * A delivery is acknowledged only after its batch committed. When the sink
 * fails (PostgreSQL down) the batch is retried, unacknowledged, until it
 * commits or the pump stops; the workers are then all busy retrying, so
 * nothing new is taken from the buffer, and the consumers see the pump full.
 */
export class MessagePump {
  private readonly waiting: Delivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: PumpOptions) {}

  /** Deliveries taken and not yet settled. */
  get load(): number {
    return this.waiting.length + this.inFlight;
  }
  private inFlight = 0;

  push(delivery: Delivery): void {
    if (this.stopped) return; // left unacknowledged: the broker hands it out again
    this.waiting.push(delivery);
    this.dispatch();
  }

  /** Resolves when the load drops below `limit` (consumers that pull wait on it). */
  async roomFor(limit: number): Promise<void> {
    while (!this.stopped && this.load >= limit) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** No new work; retries end; batches being stored finish. Unsettled deliveries stay with the broker. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    this.wake?.();
    await Promise.allSettled([...this.running]);
  }

  private dispatch(): void {
    while (!this.stopped && this.running.size < this.opts.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.inFlight += batch.length;
      const work = this.process(batch).finally(() => {
        this.inFlight -= batch.length;
        this.running.delete(work);
        this.wake?.();
        this.dispatch();
      });
      this.running.add(work);
    }
  }

  private async process(batch: Delivery[]): Promise<void> {
    const valid: Array<{ delivery: Delivery; event: IncomingEvent }> = [];
    for (const delivery of batch) {
      const body = parseMessageBody(delivery.body);
      const mapped = body.ok ? mapMessage(this.opts.mapping, body.value) : body;
      const issues = mapped.ok ? oversizedIssues([{ path: 'properties', value: mapped.value.properties, capBytes: this.opts.propertiesCapBytes }]) : mapped.issues;
      if (mapped.ok && issues.length === 0) valid.push({ delivery, event: mapped.value });
      else await this.deadLetter(delivery, reasonOf(issues));
    }
    if (valid.length === 0) return;
    const stored = await this.store(valid);
    if (!stored) return;
    await Promise.all(
      valid.map(async ({ delivery }, i) => {
        const duplicate = stored.results[i]?.status === 'duplicate';
        (duplicate ? this.opts.metrics.duplicates : this.opts.metrics.consumed).inc({ source: this.opts.source });
        await delivery.ack().catch((err: Error) => this.opts.warn(`ack failed (the broker will redeliver; it will be a duplicate): ${err.message}`));
      }),
    );
  }

  private async deadLetter(delivery: Delivery, reason: string): Promise<void> {
    try {
      await delivery.deadLetter(reason);
      this.opts.metrics.deadLettered.inc({ source: this.opts.source });
    } catch (err) {
      // Not acknowledged: the broker hands it out again and it is dead-lettered then.
      this.opts.warn(`dead-lettering failed: ${(err as Error).message}`);
    }
  }

  /** Stores the batch, retrying while the sink fails; undefined if the pump stopped first. */
  private async store(valid: Array<{ delivery: Delivery; event: IncomingEvent }>) {
    const events = valid.map((v) => v.event);
    let retryMs = FIRST_RETRY_MS;
    for (;;) {
      try {
        return await this.opts.sink.ingest(events);
      } catch (err) {
        if (this.stopped) return undefined;
        this.opts.metrics.storeRetries.inc({ source: this.opts.source });
        this.opts.warn(`could not store ${events.length} events, retrying in ${retryMs} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, retryMs));
        if (this.stopped) return undefined;
        for (const { delivery } of valid) delivery.keepAlive?.();
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    }
  }
}
