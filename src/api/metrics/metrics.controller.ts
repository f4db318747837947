import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ApiRoute } from '../common/api-route';

@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  @Get()
  @ApiRoute({
    operationId: 'getMetrics',
    role: 'public',
    summary: 'Prometheus metrics in text format.',
    success: { status: 200, description: 'Prometheus text.' },
  })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
