import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { LayoutBody, LayoutSaved, RunningByVersion } from './campaign-versions.schemas';
import { CampaignVersionsService } from './campaign-versions.service';

/** A version's layout (presentation, changed in place) and the running journeys each version keeps. */
@Controller('v1/campaigns')
export class CampaignVersionsController {
  constructor(private readonly service: CampaignVersionsService) {}

  @Put(':key/versions/:version/layout')
  @ApiRoute({
    operationId: 'saveCampaignVersionLayout',
    role: 'operator',
    summary:
      'Where the canvas drew the nodes of a stored version (state name → `{ x, y }`), replacing the one stored. Only the layout changes: the definition, the compiled plan and the version number stay, so moving nodes never makes a version.',
    body: LayoutBody,
    example: { layout: { welcomed: { x: 0, y: 0 } } },
    success: { status: 200, schema: LayoutSaved, description: 'Stored.' },
    errors: [404],
  })
  saveLayout(@Param('key') key: string, @Param('version') version: string, @Body() body: unknown) {
    return this.service.saveLayout(key, version, body);
  }

  @Get(':key/running')
  @ApiRoute({
    operationId: 'getCampaignRunningByVersion',
    role: 'operator',
    summary:
      'Running journeys per version that ever took entries (a journey keeps the version it entered with until it ends), from Temporal visibility (`CampaignVersion`, `ExecutionStatus = "Running"`), which trails a start or an end by a moment.',
    success: { status: 200, schema: RunningByVersion, description: 'Running journeys per version.' },
    errors: [404],
  })
  running(@Param('key') key: string) {
    return this.service.running(key);
  }
}
