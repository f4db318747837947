import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { DATA_SOURCE } from '../core/tokens';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RewardsModule } from '../rewards/rewards.module';
import { RoutingModule } from '../routing/routing.module';
import { EventCancelService } from './event-cancel.service';
import { EventDetailService } from './event-detail.service';
import { EventSupportController } from './event-support.controller';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({
  imports: [MetricsModule, RoutingModule, OutboxModule, RewardsModule],
  controllers: [EventsController, EventSupportController],
  providers: [
    EventsService,
    EventDetailService,
    EventCancelService,
    { provide: EventCancellationsRepository, useFactory: (ds: DataSource) => new EventCancellationsRepository(ds), inject: [DATA_SOURCE] },
  ],
  // Event sources (src/api/sources) ingest through the same service.
  exports: [EventsService],
})
export class EventsModule {}
