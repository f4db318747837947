import { Injectable } from '@nestjs/common';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { DependencyUnavailableError, NotFoundError } from '../common/errors';
import { cancelEverywhere } from './cancel-everywhere';
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
    private readonly journeys: JourneyGateway,
    private readonly rewards: RewardsRepository,
    private readonly rewardCauses: RewardCausesRepository,
  ) {}

  async cancel(id: string, reason: string): Promise<CancelEventResponse> {
    const stored = await this.cancellations.cancel(id, reason);
    if (!stored) throw new NotFoundError(`No event ${id}.`);
    let outcome;
    try {
      outcome = await this.journeys.bounded(CANCEL_TIMEOUT_MS, () =>
        cancelEverywhere({ journeys: this.journeys, rewards: this.rewards, rewardCauses: this.rewardCauses }, { eventId: id, reason: stored.reason ?? reason, workflowIds: stored.workflowIds }),
      );
    } catch (err) {
      throw new DependencyUnavailableError(
        'temporal',
        `Event ${id} is cancelled, but its journeys could not all be told (${(err as Error).message}); repeat the request to finish.`,
      );
    }
    return { id, userId: stored.userId, cancelledAt: stored.cancelledAt, reason: stored.reason, alreadyCancelled: !stored.first, journeys: outcome.signalled, ended: outcome.ended };
  }
}
