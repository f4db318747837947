import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { AnalyticsService } from './analytics.service';

@Controller('v1/campaigns')
@RequireRole('operator')
export class AnalyticsController {
  constructor(private readonly service: AnalyticsService) {}

  @Get(':key/funnel')
  funnel(@Param('key') key: string, @Query() query: unknown) {
    return this.service.funnel(key, query);
  }

  @Get(':key/intervals')
  intervals(@Param('key') key: string, @Query() query: unknown) {
    return this.service.intervals(key, query);
  }
}
