import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import { DATA_SOURCE } from '../core/tokens';
import { JourneySender } from './journey-sender';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRelay } from './outbox.relay';

/** Deliveries to journeys: sent at once by the events service, resent by the relay. OUTBOX_OPTIONS comes from CoreModule. */
@Module({
  providers: [
    { provide: SignalOutboxRepository, useFactory: (ds: DataSource) => new SignalOutboxRepository(ds), inject: [DATA_SOURCE] },
    JourneySender,
    OutboxRelay,
    OutboxMetrics,
  ],
  exports: [SignalOutboxRepository, JourneySender, OutboxRelay],
})
export class OutboxModule {}
