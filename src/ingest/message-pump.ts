import type { DomainIssue } from '../domain/issues';
import type { IncomingEvent } from '../domain/event';
import { jsonBytes, oversizedIssues } from '../domain/json-size';
import { hash } from '../domain/machine/random';
import { mapMessage, parseMessageBody, type EventMapping } from './event-mapping';
import type { EventSink } from './event-sink';
import { Backoff } from '../retry/backoff';
import { ThrottledWarning } from '../observability/throttled-warning';
import { sqlStateMatching } from '../store/sql-state';
import type { SourceMetrics } from './source-metrics';

/** One message as a broker handed it over; settled exactly once, by ack or by deadLetter. */
export interface Delivery {
  body: Uint8Array;
  ack(): Promise<void>;
  /** Publishes the message with the reason to the dead-letter queue or subject, then acknowledges it. */
  deadLetter(reason: string): Promise<void>;
  /** Tells the broker the message is still being worked on (NATS: extends the ack wait). May throw (the connection closed): the pump goes on. */
  keepAlive?(): void;
  /**
   * Hands the message back at once, unsettled, when the pump stops before
   * storing it (NATS: a nak, so it comes back before newer ones rather than
   * after the ack wait; RabbitMQ needs none: closing the channel requeues).
   * May throw (the connection closed): the message then comes back after the
   * ack wait, and the pump hands back the others all the same.
   */
  release?(): void;
}

export interface PumpOptions {
  source: string;
  mapping: EventMapping;
  /** Lanes: batches stored at once (a user's messages always take the same one). */
  concurrency: number;
  maxBatch: number;
  /**
   * MAX_BODY_BYTES: a batch takes no more messages once their properties
   * weigh this much as JSON (one at least), as one POST /v1/events can carry
   * no more. Each event is written twice into one statement (its properties
   * and its journey deliveries'), so a count alone could build a statement
   * past V8's string limit, retried for ever, or past PostgreSQL's for jsonb.
   */
  batchBytes: number;
  /** MAX_EVENT_PROPERTIES_BYTES: a message whose properties weigh more is dead-lettered, as POST /v1/events refuses it (413). */
  propertiesCapBytes: number;
  /**
   * MAX_BODY_BYTES: a message larger than this is dead-lettered as it is,
   * never decoded or parsed, as POST /v1/events answers such a body with a
   * 413 before reading it. Decoding and parsing run inside the broker
   * client's frame handler: a 100 MB message would block every source (and
   * the API) for seconds and take several times its size in memory.
   */
  bodyCapBytes: number;
  sink: EventSink;
  metrics: SourceMetrics;
  warn(message: string): void;
  /**
   * How often each delivery held (queued in a lane, being stored, waiting to
   * be handed back) is kept alive, whatever its store has done so far: a
   * broker with an ack wait (NATS) would otherwise hand out again a message
   * still being stored, as a duplicate, exactly when storing is slow. Unset:
   * never (RabbitMQ has no ack wait to extend).
   */
  keepAliveEveryMs?: number;
}

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;
const DEAD_LETTER_LOG_EVERY_MS = 60_000;
/** How often a store that keeps failing (PostgreSQL away: every lane retries every few seconds), or keeps taking too long, is said at most. */
const STORE_TROUBLE_LOG_EVERY_MS = 60_000;

/** Why a message over MAX_BODY_BYTES is dead-lettered: its size and the cap, in the words of POST /v1/events' 413. */
const tooLargeReason = (bytes: number, capBytes: number): string =>
  `the message is ${bytes} bytes; a request body may be at most ${capBytes} (MAX_BODY_BYTES): POST /v1/events answers a larger one with a 413`;

const reasonOf = (issues: DomainIssue[]): string => issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');

/** Which lane a user's messages take: the same one always, so they are stored in the order the broker gave them. */
export function laneOf(userId: string, lanes: number): number {
  return hash(userId) % lanes;
}

interface Mapped {
  delivery: Delivery;
  event: IncomingEvent;
  /** Its properties as JSON, in bytes: weighed once, against the cap and the batch's budget. */
  bytes: number;
}

/**
 * The broker-independent half of a source: maps each delivery, dead-letters
 * the ones that do not map or that POST /v1/events would refuse as too
 * large, and stores the rest through the sink in batches of what is waiting
 * (up to maxBatch, and batchBytes of properties). A queue or a stream is ordered, and so are a user's
 * events: each user's messages go to one of `concurrency` lanes, and a lane
 * stores one batch at a time, so a user's next batch is stored only after
 * the one before it committed (and was sent), and can never overtake it.
 * Different lanes store at once. A delivery is acknowledged only after its
 * batch committed. When the sink fails (PostgreSQL down) the batch is
 * retried, unacknowledged, until it commits or the pump stops; the lanes
 * then all wait, their queues fill, and the consumers see the pump full.
 * A batch that takes longer than PostgreSQL's statement timeout is stored
 * in halves, in order (down to one message, retried as it is): retried
 * whole, it would time out again for ever and hold its lane.
 */
export class MessagePump {
  private readonly lanes: Mapped[][];
  private readonly busy: boolean[];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  /** Deliveries pushed while stop() still holds older ones to hand back: handed back after those. */
  private arrivedLate: Delivery[] | null = null;
  private wake: (() => void) | undefined;
  /** Deliveries taken and not yet settled: queued in a lane, being stored, or being dead-lettered. */
  private unsettled = 0;
  /** The one stop under way: both a consumer's stop() and its run loop stop the pump, often at once. */
  private stopping: Promise<void> | undefined;
  /** Batches being stored, from the moment a lane takes them until each of theirs is acknowledged, dead-lettered or handed back. */
  private readonly storing = new Set<Mapped[]>();
  private readonly keepAliveTimer: NodeJS.Timeout | undefined;
  /** Failed attempts to store, in any lane, since storing last succeeded: said with the trouble, and when it ends. */
  private failedStores = 0;
  private readonly storeTrouble: ThrottledWarning;
  private readonly tooSlow: ThrottledWarning;

  constructor(private readonly opts: PumpOptions) {
    this.storeTrouble = new ThrottledWarning(STORE_TROUBLE_LOG_EVERY_MS, (text) => opts.warn(text));
    this.tooSlow = new ThrottledWarning(STORE_TROUBLE_LOG_EVERY_MS, (text) => opts.warn(text));
    const lanes = Math.max(1, opts.concurrency);
    this.lanes = Array.from({ length: lanes }, () => []);
    this.busy = Array.from({ length: lanes }, () => false);
    if (opts.keepAliveEveryMs) this.keepAliveTimer = setInterval(() => this.keepAlive(this.held()), opts.keepAliveEveryMs).unref();
  }

  /** Deliveries taken and not yet settled. */
  get load(): number {
    return this.unsettled;
  }

  push(delivery: Delivery): void {
    if (this.stopped) {
      // Handed back (NATS: a nak) as stop() does with what it held, and after it: left alone, it would come back only
      // after the ack wait, behind newer messages of its user (messages of a pull still arrive after the stop); handed
      // back before the older messages stop() still holds, it would come back ahead of them.
      if (this.arrivedLate) this.arrivedLate.push(delivery);
      else this.handBack(delivery);
      return;
    }
    this.unsettled++;
    if (delivery.body.byteLength > this.opts.bodyCapBytes) {
      this.track(this.deadLetter(delivery, tooLargeReason(delivery.body.byteLength, this.opts.bodyCapBytes)), 1);
      return;
    }
    const body = parseMessageBody(delivery.body);
    const mapped = body.ok ? mapMessage(this.opts.mapping, body.value) : body;
    const bytes = mapped.ok ? jsonBytes(mapped.value.properties) : 0;
    // Weighed again only when refused, for the reason's words (an infinite weight is JSON nested too deep).
    const issues = mapped.ok ? (bytes > this.opts.propertiesCapBytes ? oversizedIssues([{ path: 'properties', value: mapped.value.properties, capBytes: this.opts.propertiesCapBytes }]) : []) : mapped.issues;
    if (!mapped.ok || issues.length > 0) {
      this.track(this.deadLetter(delivery, reasonOf(issues)), 1);
      return;
    }
    const lane = laneOf(mapped.value.userId, this.lanes.length);
    this.lanes[lane].push({ delivery, event: mapped.value, bytes });
    this.run(lane);
  }

  /** Resolves when the load drops below `limit` (consumers that pull wait on it). */
  async roomFor(limit: number): Promise<void> {
    while (!this.stopped && this.load >= limit) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /**
   * No new work; retries end; batches being stored finish. Unsettled
   * deliveries go back to the broker. Called again (or twice at once), it
   * answers the first call's promise: a second run would take over the
   * list of late deliveries from the first, leaving those pushed between
   * the two calls unreleased, and then fail on the list the first cleared.
   */
  stop(): Promise<void> {
    return (this.stopping ??= this.stopOnce());
  }

  private async stopOnce(): Promise<void> {
    // Stopped, no lane is taken from again (run) nor added to (push): their queues wait there to be handed back.
    this.stopped = true;
    this.arrivedLate = [];
    this.wake?.();
    // Batches being stored hand theirs back first if they stop unstored, then each lane's queue in its order: a user's
    // messages are all in one lane, so the first of them goes back first; then what arrived after the stop.
    await Promise.allSettled([...this.running]);
    clearInterval(this.keepAliveTimer);
    for (const lane of this.lanes) for (const { delivery } of lane.splice(0)) this.handBack(delivery);
    const late = this.arrivedLate;
    this.arrivedLate = null;
    for (const delivery of late) this.handBack(delivery);
    this.sayDeadLetters();
  }

  /** The deliveries held for a store: queued in a lane, in a batch being stored, or waiting for a stop to hand them back. */
  private *held(): Iterable<Delivery> {
    for (const batch of [...this.lanes, ...this.storing]) for (const { delivery } of batch) yield delivery;
    for (const delivery of this.arrivedLate ?? []) yield delivery;
  }

  /**
   * release(), whatever it throws: on a connection closed for good NATS
   * refuses the nak, and one refusal must neither keep the messages after
   * it from going back nor reject stop() (an unhandled rejection ends the
   * process). The broker hands that one out again after the ack wait.
   */
  private handBack(delivery: Delivery): void {
    try {
      delivery.release?.();
    } catch (err) {
      this.opts.warn(`could not hand a message back (the broker hands it out again after its ack wait): ${(err as Error).message}`);
    }
  }

  private run(lane: number): void {
    if (this.stopped || this.busy[lane] || this.lanes[lane].length === 0) return;
    this.busy[lane] = true;
    const batch = this.lanes[lane].splice(0, this.batchLength(this.lanes[lane]));
    this.storing.add(batch);
    this.track(this.process(batch), batch.length, () => {
      this.storing.delete(batch);
      this.busy[lane] = false;
      this.run(lane);
    });
  }

  /** How many of a lane's queue its next batch takes: up to maxBatch, while their properties stay within batchBytes; one at least. */
  private batchLength(queued: Mapped[]): number {
    const most = Math.min(queued.length, this.opts.maxBatch);
    let bytes = queued[0].bytes;
    let n = 1;
    while (n < most && bytes + queued[n].bytes <= this.opts.batchBytes) bytes += queued[n++].bytes;
    return n;
  }

  /** Counts `settles` deliveries as settled once `work` ends, then runs `next`. */
  private track(work: Promise<void>, settles: number, next?: () => void): void {
    // Nothing awaits `done` but a stop: a failure here must be said, not left to end the process as an unhandled rejection.
    const guarded = work.catch((err: unknown) => this.opts.warn(`a batch failed unexpectedly (its messages stay unacknowledged; the broker hands them out again): ${(err as Error).message}`));
    const done = guarded.finally(() => {
      this.unsettled -= settles;
      this.running.delete(done);
      this.wake?.();
      next?.();
    });
    this.running.add(done);
  }

  private async process(batch: Mapped[]): Promise<void> {
    const stored = await this.store(batch);
    if (!stored) {
      // The pump stopped before the batch was stored: nothing of it committed, so it goes back to the broker.
      for (const { delivery } of batch) this.handBack(delivery);
      return;
    }
    if ('tooSlow' in stored) {
      // Too much for one statement (57014, the statement timeout): the first half, then the second, each split again if
      // need be; retried whole, it would time out again for ever and hold its lane. A batch of one is retried as it is.
      const half = Math.ceil(batch.length / 2);
      await this.inTurn([batch.slice(0, half), batch.slice(half)]);
      return;
    }
    if ('refused' in stored) {
      // One message's value refused for good: each is stored alone, in order, so only that one goes to the dead letters.
      if (batch.length > 1) {
        await this.inTurn(batch.map((one) => [one]));
        return;
      }
      await this.deadLetter(batch[0].delivery, `PostgreSQL refused to store it: ${stored.refused}`);
      return;
    }
    await Promise.all(
      batch.map(async ({ delivery }, i) => {
        const duplicate = stored.results[i]?.status === 'duplicate';
        (duplicate ? this.opts.metrics.duplicates : this.opts.metrics.consumed).inc({ source: this.opts.source });
        await delivery.ack().catch((err: Error) => this.opts.warn(`ack failed (the broker will redeliver; it will be a duplicate): ${err.message}`));
      }),
    );
  }

  /** Processes the parts of a batch one after the other, in order; once the pump stops, hands back those not begun. */
  private async inTurn(parts: Mapped[][]): Promise<void> {
    for (const [i, part] of parts.entries()) {
      // A stop waits for this batch: the rest goes back to the broker rather than hold it for a store each.
      if (this.stopped) {
        for (const rest of parts.slice(i)) for (const { delivery } of rest) this.handBack(delivery);
        return;
      }
      await this.process(part);
    }
  }

  private async deadLetter(delivery: Delivery, reason: string): Promise<void> {
    try {
      await delivery.deadLetter(reason);
      this.opts.metrics.deadLettered.inc({ source: this.opts.source });
      this.noteDeadLetter(reason);
    } catch (err) {
      // Not acknowledged: the broker hands it out again and it is dead-lettered then.
      this.opts.warn(`dead-lettering failed: ${(err as Error).message}`);
    }
  }

  private deadLettersUnsaid = 0;
  private deadLetterSaidAt = -Infinity;
  private latestDeadLetterReason = '';
  private deadLetterLine: NodeJS.Timeout | undefined;

  /**
   * A warning with the latest reason, at most once a minute: a flood of bad
   * messages must not flood the log. Those held back inside the minute are
   * said when it ends (or when the pump stops), not only if another comes.
   */
  private noteDeadLetter(reason: string): void {
    this.deadLettersUnsaid++;
    this.latestDeadLetterReason = reason;
    const wait = DEAD_LETTER_LOG_EVERY_MS - (Date.now() - this.deadLetterSaidAt);
    if (wait <= 0) this.sayDeadLetters();
    else this.deadLetterLine ??= setTimeout(() => this.sayDeadLetters(), wait).unref();
  }

  private sayDeadLetters(): void {
    clearTimeout(this.deadLetterLine);
    this.deadLetterLine = undefined;
    if (this.deadLettersUnsaid === 0) return;
    this.opts.warn(`dead-lettered ${this.deadLettersUnsaid} message(s) since the last such line; the latest because ${this.latestDeadLetterReason}`);
    this.deadLettersUnsaid = 0;
    this.deadLetterSaidAt = Date.now();
  }

  /**
   * Stores the batch, retrying while the sink fails for a reason that passes
   * (PostgreSQL away, a deadlock); `refused` when PostgreSQL refuses a value
   * for good, which no retry would change; `tooSlow` when a batch of more
   * than one took longer than the statement timeout, which the same batch
   * would again; undefined if the pump stopped first. A store that keeps
   * failing is said at once, then at most once a minute (with how many
   * attempts failed, and the latest reason), and once more when one succeeds.
   */
  private async store(valid: Mapped[]) {
    const events = valid.map((v) => v.event);
    const backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
    for (;;) {
      try {
        const stored = await this.opts.sink.ingest(events);
        this.storedAgain();
        return stored;
      } catch (err) {
        if (this.stopped) return undefined;
        const message = (err as Error).message;
        if (refusedForGood(err)) return { refused: message };
        this.opts.metrics.storeRetries.inc({ source: this.opts.source });
        if (events.length > 1 && tookTooLong(err)) {
          this.tooSlow.say(
            `storing ${events.length} events took longer than PostgreSQL allows one statement (DATABASE_STATEMENT_TIMEOUT_MS): storing them in halves, in order; said at most once a minute (${message})`,
          );
          return { tooSlow: message };
        }
        this.failedStores++;
        this.storeTrouble.say(
          `could not store ${events.length} events: ${message}; retrying with backoff (up to ${MAX_RETRY_MS / 1000} s apart), the messages unacknowledged; ${this.failedStores} failed attempt(s) since storing last succeeded; said at most once a minute while it lasts`,
        );
        await new Promise((r) => setTimeout(r, backoff.next()));
        if (this.stopped) return undefined;
      }
    }
  }

  /** A store succeeded: if stores had been failing, that is said, once, and the next failure is said at once. */
  private storedAgain(): void {
    if (this.failedStores === 0) return;
    this.opts.warn(`stored again after ${this.failedStores} failed attempt(s)`);
    this.failedStores = 0;
    this.storeTrouble.clear();
  }

  /** keepAlive() on each, whatever one throws (a closed connection): storing goes on, and a stop hands the messages back. */
  private keepAlive(deliveries: Iterable<Delivery>): void {
    for (const delivery of deliveries) {
      try {
        delivery.keepAlive?.();
      } catch {
        // The connection is gone: the consumer notices, stops the pump and connects anew; the message comes back.
      }
    }
  }
}

/**
 * What PostgreSQL refuses for good: a data exception (class 22: a value out
 * of range, text it cannot hold), an integrity violation (23) or a program
 * limit (54: a value too large for an index). Retrying such a batch would
 * block its lane for ever; anything else (PostgreSQL away, a deadlock, an
 * error this does not know) is retried as before, since losing nothing comes
 * first.
 */
export function refusedForGood(err: unknown): boolean {
  return sqlStateMatching(err, /^(22|23|54)[0-9A-Z]{3}$/) !== null;
}

/**
 * query_canceled (57014): here, the statement timeout (DATABASE_STATEMENT_TIMEOUT_MS)
 * passed. The same batch would take as long again; a smaller one may not.
 */
export function tookTooLong(err: unknown): boolean {
  return sqlStateMatching(err, /^57014$/) !== null;
}
