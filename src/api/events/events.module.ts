import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RoutingModule } from '../routing/routing.module';
import { CancelFinisher } from './cancel-finisher';
import { EventCancelService } from './event-cancel.service';
import { EventDetailService } from './event-detail.service';
import { EventSupportController } from './event-support.controller';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({
  imports: [MetricsModule, RoutingModule, OutboxModule],
  controllers: [EventsController, EventSupportController],
  providers: [
    EventsService,
    EventDetailService,
    EventCancelService,
    CancelFinisher,
  ],
  // Event sources (src/api/sources) ingest through the same service.
  exports: [EventsService],
})
export class EventsModule {}
