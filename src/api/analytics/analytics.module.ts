import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { DATA_SOURCE } from '../core/tokens';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, { provide: AnalyticsRepository, useFactory: (ds: DataSource) => new AnalyticsRepository(ds), inject: [DATA_SOURCE] }],
})
export class AnalyticsModule {}
