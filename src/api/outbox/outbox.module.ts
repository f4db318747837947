import { Module } from '@nestjs/common';
import { JourneySender } from './journey-sender';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRelay } from './outbox.relay';

/** Deliveries to journeys: sent at once by the events service, resent by the relay. OUTBOX_OPTIONS comes from CoreModule. */
@Module({
  providers: [
    JourneySender,
    OutboxRelay,
    OutboxMetrics,
  ],
  exports: [JourneySender, OutboxRelay],
})
export class OutboxModule {}
