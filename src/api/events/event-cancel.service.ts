import { Injectable } from '@nestjs/common';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { DependencyUnavailableError, NotFoundError } from '../common/errors';
import { isPostgresUnavailable } from '../common/postgres-unavailable';
import { CancelFinisher } from './cancel-finisher';
import type { CancelEventResponse } from './events.schemas';
import { isUnreachable } from '../../temporal/connectivity';

const CANCEL_TIMEOUT_MS = 15_000;

/**
 * Cancelling an event (DESIGN.md decision 6). The cancel is stored first and
 * closes the deliveries not yet sent, so neither the relay nor a journey
 * started later ever counts the event; then rewards recorded as caused by it
 * are reclaimed, and every journey it was routed to is told. When Temporal
 * cannot be reached, the cancel stays stored as unfinished and the
 * CancelFinisher finishes it once Temporal answers. A second cancel keeps the
 * first's time and reason but runs the second half again: it is idempotent.
 */
@Injectable()
export class EventCancelService {
  constructor(
    private readonly cancellations: EventCancellationsRepository,
    private readonly finisher: CancelFinisher,
  ) {}

  async cancel(id: string, reason: string): Promise<CancelEventResponse> {
    // The finisher leaves the cancel to this request while it may still be working on it.
    const stored = await this.cancellations.cancel(id, reason, CANCEL_TIMEOUT_MS + 5_000);
    if (!stored) throw new NotFoundError(`No event ${id}.`);
    let outcome;
    try {
      outcome = await this.finisher.finish({ eventId: id, reason: stored.reason ?? reason, workflowIds: stored.workflowIds }, CANCEL_TIMEOUT_MS);
    } catch (err) {
      // The finish reclaims in PostgreSQL too: when that is what went away, saying "Temporal" would send the on-call to the wrong place.
      if (!isUnreachable(err) && isPostgresUnavailable(err)) {
        throw new DependencyUnavailableError(
          'postgres',
          `Event ${id} is cancelled and kept as unfinished, but PostgreSQL cannot be reached now, so the rewards it caused may not all be taken back and its journeys not all told yet. Kairos finishes it once PostgreSQL answers; repeating the request is safe.`,
        );
      }
      // The ledger goes first (cancelEverywhere): when Temporal is what failed, the rewards are taken back already.
      throw new DependencyUnavailableError(
        'temporal',
        isUnreachable(err)
          ? `Event ${id} is cancelled and the rewards it caused are taken back, but Temporal cannot be reached now, so its journeys are not all told yet. Kairos tells them once Temporal answers; repeating the request is safe.`
          : `Event ${id} is cancelled and kept as unfinished: it could not be finished yet (${(err as Error).message}). Kairos tells its journeys and takes back what it caused once it can; repeating the request is safe.`,
      );
    }
    return { id, userId: stored.userId, cancelledAt: stored.cancelledAt, reason: stored.reason, alreadyCancelled: !stored.first, journeys: outcome.signalled, ended: outcome.ended };
  }
}
