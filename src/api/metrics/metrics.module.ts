import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { IngestMetrics } from './ingest.metrics';
import { MetricsController } from './metrics.controller';
import { createMetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: createMetricsRegistry }, IngestMetrics],
  exports: [Registry, IngestMetrics],
})
export class MetricsModule {}
