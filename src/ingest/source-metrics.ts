import { Counter, Gauge, type Registry } from 'prom-client';

/** Per-source message counts and lag; the only label is the source key, which operators bound. */
export class SourceMetrics {
  readonly consumed: Counter<'source'>;
  readonly duplicates: Counter<'source'>;
  readonly deadLettered: Counter<'source'>;
  /** Counted by the consumers, which publish the dead letters; each shows it at 0 from its start (deadLetterFailuresShown). */
  readonly deadLetterFailures: Counter<'source'>;
  readonly lag: Gauge<'source'>;
  readonly unacknowledged: Gauge<'source'>;
  readonly storeRetries: Counter<'source'>;
  readonly up: Gauge<'source'>;
  /** Reloads of the sources that failed, by what asked for them; each is retried with backoff. */
  readonly reloadFailures: Counter<'trigger'>;
  /** Whether the latest reload failed (the supervisor's word, read at scrape time). */
  private reloadFailing: () => boolean = () => false;
  /** The enabled sources and whether this instance consumes each now (the supervisor's word, read at scrape time). */
  private states: () => Array<{ source: string; consuming: boolean }> = () => [];

  constructor(registry: Registry) {
    const registers = [registry];
    this.consumed = new Counter({ name: 'kairos_source_consumed_total', help: 'Messages stored as new events, per source.', labelNames: ['source'], registers });
    this.duplicates = new Counter({ name: 'kairos_source_duplicates_total', help: 'Messages whose event id was already stored, acknowledged as duplicates, per source.', labelNames: ['source'], registers });
    this.deadLettered = new Counter({ name: 'kairos_source_dead_lettered_total', help: 'Messages that failed mapping or validation, sent to the dead-letter queue or subject, per source.', labelNames: ['source'], registers });
    this.deadLetterFailures = new Counter({
      name: 'kairos_source_dead_letter_failures_total',
      help: 'Dead letters that could not be published (a full stream or dead-letter queue, the broker refusing them), per source; each message stays unacknowledged and is tried again later.',
      labelNames: ['source'],
      registers,
    });
    this.storeRetries = new Counter({ name: 'kairos_source_store_retries_total', help: 'Failed attempts to store a batch (PostgreSQL down), retried with the messages unacknowledged, per source.', labelNames: ['source'], registers });
    this.reloadFailures = new Counter({
      name: 'kairos_source_reload_failures_total',
      help: "Reloads of this instance's event sources that failed (reading the sources from PostgreSQL failed), by what asked for them (change, write, reconcile, retry); each is retried with backoff until one succeeds.",
      labelNames: ['trigger'],
      registers,
    });
    // Shown from the start at 0, so a first failure is an increase Prometheus sees.
    for (const trigger of ['change', 'write', 'reconcile', 'retry']) this.reloadFailures.inc({ trigger }, 0);
    const failing = () => this.reloadFailing();
    new Gauge({
      name: 'kairos_source_reload_failing',
      help: "1 while this instance's latest reload of the event sources failed (it runs what it loaded before, and retries), 0 once one succeeded.",
      registers,
      collect() {
        this.set(failing() ? 1 : 0);
      },
    });
    const states = () => this.states();
    this.up = new Gauge({
      name: 'kairos_source_up',
      help: '1 while this instance consumes the source, 0 while it is connecting (GET /v1/sources/:key says why); enabled sources only.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const { source, consuming } of states()) this.set({ source }, consuming ? 1 : 0);
      },
    });
    this.lag = new Gauge({ name: 'kairos_source_lag', help: 'Messages waiting in the broker for this source (RabbitMQ: ready in the queue; NATS: pending for the consumer).', labelNames: ['source'], registers });
    this.unacknowledged = new Gauge({
      name: 'kairos_source_unacknowledged',
      help: 'Messages this instance took from the broker and has not acknowledged yet (being stored; on RabbitMQ also held while their dead letter cannot be published, where NATS hands them back to the stream: see kairos_source_dead_letter_failures_total), per source; not in kairos_source_lag.',
      labelNames: ['source'],
      registers,
    });
  }

  /** Where kairos_source_up reads the sources' states from, and kairos_source_reload_failing whether the latest reload failed. */
  watch(states: () => Array<{ source: string; consuming: boolean }>, reloadFailing: () => boolean = () => false): void {
    this.states = states;
    this.reloadFailing = reloadFailing;
  }

  /**
   * A source's counters are shown from its start, at 0: a series born at its
   * first dead letter hides that one from increase() and rate().
   */
  started(source: string): void {
    for (const m of [this.consumed, this.duplicates, this.deadLettered, this.storeRetries]) m.inc({ source }, 0);
  }

  /** kairos_source_dead_letter_failures_total of a source at 0 from its consumer's start, as started() shows the pump's counters. */
  deadLetterFailuresShown(source: string): void {
    this.deadLetterFailures.inc({ source }, 0);
  }

  /**
   * This instance cannot read the source's lag now (disconnected, the broker
   * refused the read): no value rather than the last one, which would hold
   * still (often at 0) while messages pile up.
   */
  lagUnknown(source: string): void {
    this.lag.remove({ source });
  }

  /** A removed source's series go with it, so the label set stays the configured sources. */
  forget(source: string): void {
    for (const m of [this.consumed, this.duplicates, this.deadLettered, this.deadLetterFailures, this.storeRetries, this.lag, this.unacknowledged]) m.remove({ source });
  }
}
