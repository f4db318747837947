import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Config } from '../../config/config';
import { METRICS_TOKEN_NEEDED, metricsAuthorized } from '../../observability/metrics-token';
import { ApiRoute } from '../common/api-route';
import { CONFIG } from '../core/tokens';

@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(Registry) private readonly registry: Registry,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @ApiRoute({
    operationId: 'getMetrics',
    role: 'public',
    summary: 'Prometheus metrics in text format. Needs no API key; when METRICS_TOKEN is set, it needs that token as `Authorization: Bearer <METRICS_TOKEN>` (401 without).',
    success: { status: 200, contentType: 'text/plain', description: "Prometheus text (read it with `parseAs: 'text'`)." },
    errors: [401],
  })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (!metricsAuthorized(authorization, this.config.metricsToken)) throw new UnauthorizedException(METRICS_TOKEN_NEEDED);
    return this.registry.metrics();
  }
}
