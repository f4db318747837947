import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { LiveJourneysQuery, LiveJourneysResponse } from './live-journeys.schemas';
import { LiveJourneysService } from './live-journeys.service';

/** Beside the funnel: the same journey log, as the journeys behind the `current` counts. */
@Controller('v1/campaigns')
export class LiveJourneysController {
  constructor(private readonly service: LiveJourneysService) {}

  @Get(':key/journeys')
  @ApiRoute({
    operationId: 'listCampaignJourneys',
    role: 'operator',
    summary:
      "Journeys with a path waiting in one of the campaign's states now, from the journey log (counted as the funnel's `current`: end states and `(exited)` are left out), latest arrivals first. " +
      'Pick one to preview an event against its live state (`POST /v1/campaigns/{key}/preview` with its userId answers from the running journey).',
    query: LiveJourneysQuery,
    success: { status: 200, schema: LiveJourneysResponse, description: 'The journeys.' },
    errors: [404],
  })
  list(@Param('key') key: string, @Query() query: unknown) {
    return this.service.list(key, query);
  }
}
