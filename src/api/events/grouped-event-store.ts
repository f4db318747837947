import { isPostgresUnavailable } from '../common/postgres-unavailable';
import type { SignalOutboxRepository, StoredEvents, StoreRequest } from '../../store/repositories/signal-outbox.repository';

/** Events per grouped statement: a large batch request is not held up behind many others, nor they behind it. */
const MAX_EVENTS_PER_STATEMENT = 1_000;
/** Statements in flight at once: one fills while the other commits. */
const IN_FLIGHT = 2;

interface Waiting {
  part: StoreRequest;
  resolve: (stored: StoredEvents) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores concurrent requests' events in one statement and transaction
 * (SignalOutboxRepository.storeMany) instead of one each: under load a
 * request waits for one shared commit rather than for a pool connection and
 * a commit of its own. Each request still has its events and deliveries
 * committed before it answers. A lone request goes as it comes
 * (storeEvents). When a shared statement fails for another reason than
 * PostgreSQL being away (a value one request carries that a column refuses),
 * each part is stored alone, so the failure stays with its request.
 */
export class GroupedEventStore {
  private readonly queue: Waiting[] = [];
  private running = 0;

  constructor(private readonly outbox: SignalOutboxRepository) {}

  store(part: StoreRequest): Promise<StoredEvents> {
    return new Promise<StoredEvents>((resolve, reject) => {
      this.queue.push({ part, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < IN_FLIGHT && this.queue.length > 0) {
      let events = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || events + this.queue[take].part.events.length <= MAX_EVENTS_PER_STATEMENT)) events += this.queue[take++].part.events.length;
      const group = this.queue.splice(0, take);
      this.running++;
      void this.run(group).finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [{ part, resolve, reject }] = group;
      await this.outbox.storeEvents(part.events, part.deliveries, part.leaseMs, part.closed).then(resolve, reject);
      return;
    }
    try {
      const stored = await this.outbox.storeMany(group.map((w) => w.part));
      group.forEach((w, i) => w.resolve(stored[i]));
    } catch (err) {
      if (isPostgresUnavailable(err)) {
        for (const w of group) w.reject(err);
        return;
      }
      await Promise.all(group.map(({ part, resolve, reject }) => this.outbox.storeEvents(part.events, part.deliveries, part.leaseMs, part.closed).then(resolve, reject)));
    }
  }
}
