import type { Logger } from '@nestjs/common';
import { CoalescingQueue, type Pending } from '../../store/coalescing-queue';
import type { SendOutcome, SendResult, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';

/** One send's outcome, with the journey it went to. */
export interface RecordedOutcome {
  workflowId: string;
  outcome: SendOutcome;
}

/** Outcomes recorded in one statement at most: keeps its JSON parameter small. */
const MAX_PER_STATEMENT = 2_000;
/**
 * How long a record waits for others to join its statement. Nobody waits on
 * a successful send's record to answer, and PostgreSQL's cost is mostly per
 * statement, so the wait can be long enough to gather many: at 100 events/s
 * about ten share one statement (at 25 ms it was three). Until it is
 * written, the row stays leased (30 s by default), so the relay leaves it
 * alone: a send starts no call that could end within RECORD_ROOM_MS of the
 * lease's end, which leaves room for this wait and the statement. A
 * failure's record, which its request awaits, goes at once.
 */
export const RECORD_GATHER_MS = 100;

/** Closed for good: the journey took the event (or refused it for good); only the bookkeeping is left. */
export const isClosed = (o: SendResult): boolean => 'outcome' in o;

/**
 * Writes send outcomes to the outbox, many senders' at once: what arrives
 * within RECORD_GATHER_MS, or while the previous statement runs, goes in
 * one statement (CoalescingQueue), so under load the record costs one
 * statement per many requests (and it never holds up a request whose send
 * succeeded). A failure recorded under a claim the row no longer has
 * (another instance claimed it since) is not written, on purpose: that lease
 * stands. Until its row is written, a closed delivery is known here: the
 * same process may send the next event of that journey at once, since this
 * one was taken (see closedUnrecorded). Never rejects: an outcome that could
 * not be written leaves its row leased, and the relay sends it again when
 * the lease runs out (journeys ignore an event id they have seen).
 */
export class OutcomeRecorder {
  private readonly queue: CoalescingQueue<readonly RecordedOutcome[], void>;
  /** Closed deliveries not yet written, by journey. */
  private readonly closed = new Map<string, Set<number>>();
  /** What followed from written records (a cancel sent again). */
  private readonly followUps = new Set<Promise<void>>();

  constructor(
    private readonly outbox: SignalOutboxRepository,
    /** Rows sent successfully that were closed meanwhile (their event was cancelled while in flight). */
    private readonly onClosedMeanwhile: (rowIds: number[]) => Promise<void>,
    private readonly logger: Logger,
    gatherMs = RECORD_GATHER_MS,
  ) {
    this.queue = new CoalescingQueue((group) => this.write(group), { inFlight: 1, maxWeight: MAX_PER_STATEMENT, weight: (items) => items.length, gatherMs });
  }

  /** Queues `items`; resolves once they are written (or failed to be). */
  record(items: readonly RecordedOutcome[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    for (const { workflowId, outcome } of items) {
      if (!isClosed(outcome)) continue;
      const ids = this.closed.get(workflowId) ?? new Set<number>();
      ids.add(outcome.id);
      this.closed.set(workflowId, ids);
    }
    const written = this.queue.submit(items);
    // A failure's request waits for its record (the relay goes by its retry time): no gather window for it.
    if (!items.every((i) => isClosed(i.outcome))) this.queue.flush();
    return written;
  }

  /** Of these journeys, the deliveries this process knows are closed but has not written yet. */
  closedUnrecorded(workflowIds: Iterable<string>): number[] {
    const ids: number[] = [];
    for (const w of new Set(workflowIds)) for (const id of this.closed.get(w) ?? []) ids.push(id);
    return ids;
  }

  /** Writes what is queued without waiting out the gather window; resolves when it is written and what followed from it is done. */
  async idle(): Promise<void> {
    await this.queue.idle();
    while (this.followUps.size > 0) await Promise.all([...this.followUps]);
  }

  /** One statement for a group of records; settles every one of them, whatever happens. */
  private async write(group: Array<Pending<readonly RecordedOutcome[], void>>): Promise<void> {
    const items = group.flatMap((p) => p.item);
    try {
      const closedMeanwhile = await this.outbox.record(items.map((i) => i.outcome));
      if (closedMeanwhile.length > 0) this.follow(this.onClosedMeanwhile(closedMeanwhile));
    } catch (err) {
      this.logger.warn(`Could not record ${items.length} delivery outcomes: ${(err as Error).message}`);
    } finally {
      for (const { workflowId, outcome } of items) {
        const ids = this.closed.get(workflowId);
        ids?.delete(outcome.id);
        if (ids?.size === 0) this.closed.delete(workflowId);
      }
      for (const p of group) p.resolve();
    }
  }

  private follow(p: Promise<void>): void {
    const settled = p.catch((err: Error) => this.logger.error(err.message));
    this.followUps.add(settled);
    void settled.then(() => this.followUps.delete(settled));
  }
}
