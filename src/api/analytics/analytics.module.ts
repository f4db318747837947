import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { LiveJourneysController } from './live-journeys.controller';
import { LiveJourneysService } from './live-journeys.service';

@Module({
  controllers: [AnalyticsController, LiveJourneysController],
  providers: [AnalyticsService, LiveJourneysService],
})
export class AnalyticsModule {}
