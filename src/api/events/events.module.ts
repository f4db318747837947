import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({ imports: [MetricsModule], controllers: [EventsController], providers: [EventsService] })
export class EventsModule {}
