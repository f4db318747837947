import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { FunnelQuery, FunnelResponse, IntervalsQuery, IntervalsResponse } from './analytics.schemas';
import { AnalyticsService } from './analytics.service';

@Controller('v1/campaigns')
export class AnalyticsController {
  constructor(private readonly service: AnalyticsService) {}

  @Get(':key/funnel')
  @ApiRoute({
    operationId: 'getCampaignFunnel',
    role: 'operator',
    summary:
      'Users and journeys per state and transitions per edge, from the journey log. `entered`: distinct users who ever arrived in the state; ' +
      '`current`: journeys with a path in it now (arrivals minus departures per journey and version, summed over versions, so parallel paths count right ' +
      'and a user with journeys of two versions there counts twice; end states and `(exited)` are 0). ' +
      'Edges count every transition; a path entering the campaign comes `from` "(entry)", one ended by exitOn or an operator goes `to` "(exited)". ' +
      'States of the definition nobody reached yet are listed with 0. `?version=` keeps journeys of one version.',
    query: FunnelQuery,
    success: { status: 200, schema: FunnelResponse, description: 'The funnel, states by entered (most first).' },
    errors: [404],
  })
  funnel(@Param('key') key: string, @Query() query: unknown) {
    return this.service.funnel(key, query);
  }

  @Get(':key/intervals')
  @ApiRoute({
    operationId: 'getCampaignIntervals',
    role: 'operator',
    summary:
      'Time from arriving in state `from` to the next arrival in state `to` by the same path of the journey (rows logged before paths were: the same journey), ' +
      'as percentiles (percentile_cont). A path that came back to `from` before reaching `to` is timed from its latest visit; each arrival into `to` counts once. ' +
      'A pair across a retention fold that deleted an arrival into `from` or `to` between the two is left out, not timed from an earlier visit. ' +
      '`?since=` and `?until=` time only the moves that arrived in `from` within them (no bound when absent). `?version=` as for the funnel.',
    query: IntervalsQuery,
    success: { status: 200, schema: IntervalsResponse, description: 'Count and percentiles in milliseconds (null when count is 0).' },
    errors: [404],
  })
  intervals(@Param('key') key: string, @Query() query: unknown) {
    return this.service.intervals(key, query);
  }
}
