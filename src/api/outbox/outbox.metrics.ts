import { Inject, Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { registerScrapedGauges } from '../../observability/once-per-scrape';
import { SignalOutboxRepository, type OutboxBacklog } from '../../store/repositories/signal-outbox.repository';

/**
 * The outbox backlog and its dead deliveries, read from PostgreSQL at each scrape: deliveries that
 * Temporal has not acknowledged yet, and the age of the oldest. A growing age
 * is the signal to alert on (Temporal unreachable, a journey refusing signals).
 * While the database is unreachable the gauges keep their last values, so a
 * scrape still answers.
 */
@Injectable()
export class OutboxMetrics {
  constructor(@Inject(Registry) registry: Registry, outbox: SignalOutboxRepository) {
    // Every gauge is collected in one scrape: one query serves them.
    registerScrapedGauges<OutboxBacklog>(registry, () => outbox.backlog(), [
      ['kairos_outbox_pending_deliveries', 'Event deliveries to journeys not yet acknowledged by Temporal.', (b) => b.pending],
      ['kairos_outbox_oldest_pending_seconds', 'Age of the oldest unacknowledged delivery (0 when none waits).', (b) => b.oldestSeconds],
      ['kairos_outbox_dead_deliveries', 'Deliveries Temporal refused for good (e.g. payload too large) and that are no longer retried; see GET /v1/events/:id.', (b) => b.dead],
      ['kairos_outbox_dead_deliveries_last_hour', 'Deliveries closed as dead within the last hour (what KairosDeadDeliveries reads: pruning old ones never lowers it).', (b) => b.deadLastHour],
    ]);
  }
}
