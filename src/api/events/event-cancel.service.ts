import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { cancelEverywhere } from '../../temporal/cancel-event';
import { DependencyUnavailableError, NotFoundError } from '../common/errors';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';
import type { CancelEventResponse } from './events.schemas';

const CANCEL_TIMEOUT_MS = 15_000;

/**
 * Cancelling an event (DESIGN.md decision 6). The cancel is stored first and
 * closes the deliveries not yet sent, so neither the relay nor a journey
 * started later ever counts the event; then every journey it was routed to is
 * told, and rewards recorded as caused by it are reclaimed. A second cancel
 * keeps the first's time and reason but runs the second half again: it is
 * idempotent, and it finishes a first cancel that Temporal interrupted.
 */
@Injectable()
export class EventCancelService {
  constructor(
    private readonly cancellations: EventCancellationsRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async cancel(id: string, reason: string): Promise<CancelEventResponse> {
    const stored = await this.cancellations.cancel(id, reason);
    if (!stored) throw new NotFoundError(`No event ${id}.`);
    let outcome;
    try {
      outcome = await this.temporal.withDeadline(Date.now() + CANCEL_TIMEOUT_MS, () =>
        cancelEverywhere({ client: this.temporal, dataSource: this.dataSource }, { eventId: id, reason: stored.reason ?? reason, workflowIds: stored.workflowIds }),
      );
    } catch (err) {
      throw new DependencyUnavailableError(
        'temporal',
        `Event ${id} is cancelled, but its journeys could not all be told (${(err as Error).message}); repeat the request to finish.`,
      );
    }
    return { id, cancelledAt: stored.cancelledAt, reason: stored.reason, alreadyCancelled: !stored.first, journeys: outcome.signalled, ended: outcome.ended };
  }
}
