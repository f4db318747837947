import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RoutingModule } from '../routing/routing.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({ imports: [MetricsModule, RoutingModule, OutboxModule], controllers: [EventsController], providers: [EventsService] })
export class EventsModule {}
