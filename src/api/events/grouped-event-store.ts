import { isPostgresUnavailable } from '../common/postgres-unavailable';
import { CoalescingQueue, type Pending } from '../../store/coalescing-queue';
import type { SignalOutboxRepository, StoredEvents, StoreRequest } from '../../store/repositories/signal-outbox.repository';

/** Events per grouped statement: a large batch request is not held up behind many others, nor they behind it. */
const MAX_EVENTS_PER_STATEMENT = 1_000;
/** Statements in flight at once: one fills while the other commits. */
const IN_FLIGHT = 2;
/**
 * Under load, how long a statement waits for company. PostgreSQL's cost is
 * mostly per statement and commit, not per row; requests that each wait for
 * Temporal arrive spread out, so without a window nearly every statement
 * carries one request. A few milliseconds are little beside a send that
 * takes tens.
 */
export const STORE_GATHER_MS = 3;

/**
 * Stores concurrent requests' events in one statement and transaction
 * (SignalOutboxRepository.storeMany) instead of one each: under load a
 * request waits for one shared commit rather than for a pool connection and
 * a commit of its own. Each request still has its events and deliveries
 * committed before it answers. A lone request goes as it comes
 * (storeEvents); under load (`busy`) a statement first waits
 * STORE_GATHER_MS for others. When a shared statement fails for another
 * reason than PostgreSQL being away (a value one request carries that a
 * column refuses), each part is stored alone, so the failure stays with its
 * request.
 */
export class GroupedEventStore {
  private readonly queue: CoalescingQueue<StoreRequest, StoredEvents>;

  /** `busy`: whether enough requests are under way that a statement waiting STORE_GATHER_MS will have company. */
  constructor(
    private readonly outbox: SignalOutboxRepository,
    busy: () => boolean = () => false,
  ) {
    this.queue = new CoalescingQueue((group) => this.run(group), {
      inFlight: IN_FLIGHT,
      maxWeight: MAX_EVENTS_PER_STATEMENT,
      weight: (part) => part.events.length,
      gatherMs: STORE_GATHER_MS,
      gatherWhile: busy,
    });
  }

  store(part: StoreRequest): Promise<StoredEvents> {
    return this.queue.submit(part);
  }

  private async run(group: Array<Pending<StoreRequest, StoredEvents>>): Promise<void> {
    const alone = ({ item: part, resolve, reject }: Pending<StoreRequest, StoredEvents>) =>
      this.outbox.storeEvents(part.events, part.deliveries, part.leaseMs, part.closed).then(resolve, reject);
    if (group.length === 1) return alone(group[0]);
    try {
      const stored = await this.outbox.storeMany(group.map((p) => p.item));
      group.forEach((p, i) => p.resolve(stored[i]));
    } catch (err) {
      // PostgreSQL away: every part would fail alone too.
      if (isPostgresUnavailable(err)) throw err;
      await Promise.all(group.map(alone));
    }
  }
}
