import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HttpMetrics } from './http.metrics';
import { IngestMetrics } from './ingest.metrics';
import { RewardMetrics } from './rewards.metrics';
import { RetentionMetrics } from './retention.metrics';
import { MetricsController } from './metrics.controller';
import { createMetricsRegistry } from '../../observability/metrics-registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: () => createMetricsRegistry('kairos-api') }, IngestMetrics, HttpMetrics, RewardMetrics, RetentionMetrics],
  exports: [Registry, IngestMetrics, RewardMetrics],
})
export class MetricsModule {}
