import type { Logger } from '@nestjs/common';
import type { SendOutcome, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';

/** One send's outcome, with the journey it went to. */
export interface RecordedOutcome {
  workflowId: string;
  outcome: SendOutcome;
}

/** Outcomes recorded in one statement at most: keeps its JSON parameter small. */
const MAX_PER_STATEMENT = 2_000;

/** Closed for good: the journey took the event (or refused it for good); only the bookkeeping is left. */
export const isClosed = (o: SendOutcome): boolean => 'outcome' in o;

/**
 * Writes send outcomes to the outbox, many senders' at once: whatever
 * arrives while one statement runs goes in the next, so under load the
 * record costs one statement per round trip rather than one per request
 * (and it no longer holds up the request that sent). Until its row is
 * written, a closed delivery is known here: the same process may send the
 * next event of that journey at once, since this one was taken (see
 * closedUnrecorded). Never rejects: an outcome that could not be written
 * leaves its row leased, and the relay sends it again when the lease runs
 * out (journeys ignore an event id they have seen).
 */
export class OutcomeRecorder {
  private queue: Array<{ items: readonly RecordedOutcome[]; done: () => void }> = [];
  private draining: Promise<void> | null = null;
  /** Closed deliveries not yet written, by journey. */
  private readonly closed = new Map<string, Set<number>>();
  private readonly followUps = new Set<Promise<void>>();

  constructor(
    private readonly outbox: SignalOutboxRepository,
    /** Rows sent successfully that were closed meanwhile (their event was cancelled while in flight). */
    private readonly onClosedMeanwhile: (rowIds: number[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Queues `items`; resolves once they are written (or failed to be). */
  record(items: readonly RecordedOutcome[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    for (const { workflowId, outcome } of items) {
      if (!isClosed(outcome)) continue;
      const ids = this.closed.get(workflowId) ?? new Set<number>();
      ids.add(outcome.id);
      this.closed.set(workflowId, ids);
    }
    return new Promise<void>((done) => {
      this.queue.push({ items, done });
      // setImmediate: the sends that finish in the same turn share the statement.
      this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    });
  }

  /** Of these journeys, the deliveries this process knows are closed but has not written yet. */
  closedUnrecorded(workflowIds: Iterable<string>): number[] {
    const ids: number[] = [];
    for (const w of new Set(workflowIds)) for (const id of this.closed.get(w) ?? []) ids.push(id);
    return ids;
  }

  /** Resolves when everything queued so far is written, and what followed from it is done. */
  async idle(): Promise<void> {
    while (this.draining || this.followUps.size > 0) await Promise.all([this.draining, ...this.followUps]);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      let count = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || count + this.queue[take].items.length <= MAX_PER_STATEMENT)) count += this.queue[take++].items.length;
      const batch = this.queue.splice(0, take);
      const items = batch.flatMap((b) => b.items);
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
        for (const b of batch) b.done();
      }
    }
    this.draining = null;
  }

  private follow(p: Promise<void>): void {
    const settled = p.catch((err: Error) => this.logger.error(err.message));
    this.followUps.add(settled);
    void settled.then(() => this.followUps.delete(settled));
  }
}
