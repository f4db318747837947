import { Injectable } from '@nestjs/common';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { EventsRepository } from '../../store/repositories/events.repository';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import { NotFoundError } from '../common/errors';
import type { EventDetailResponse } from './events.schemas';

/** What support sees of one event: as stored, where it went, and what cancelling it took back. */
@Injectable()
export class EventDetailService {
  constructor(
    private readonly events: EventsRepository,
    private readonly outbox: SignalOutboxRepository,
    private readonly cancellations: EventCancellationsRepository,
    private readonly rewards: RewardsRepository,
  ) {}

  async get(id: string): Promise<EventDetailResponse> {
    const event = await this.events.find(id);
    if (!event) throw new NotFoundError(`No event ${id}.`);
    const [deliveries, cancellation] = await Promise.all([this.outbox.forEvent(id), this.cancellations.find(id)]);
    return {
      id: event.id,
      type: event.type,
      userId: event.userId,
      // As stored, to the microsecond: resending the event as read back is the same event (not `differs`).
      occurredAt: event.occurredAt,
      receivedAt: event.receivedAt,
      properties: event.properties,
      deliveries,
      cancellation: cancellation ? { ...cancellation, reclaimed: await this.rewards.reclaimedBy(id) } : null,
    };
  }
}
