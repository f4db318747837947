import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { LayoutBody, LayoutSaved, RunningByVersion } from './campaign-versions.schemas';
import { CampaignVersionsService } from './campaign-versions.service';
import { CampaignVersionDetail, CampaignVersionList } from './campaigns.schemas';

/** Versions one at a time or listed without definitions, a version's layout (presentation, changed in place) and the running journeys each version keeps. */
@Controller('v1/campaigns')
export class CampaignVersionsController {
  constructor(private readonly service: CampaignVersionsService) {}

  @Get(':key/versions')
  @ApiRoute({
    operationId: 'listCampaignVersions',
    role: 'operator',
    summary:
      "The campaign (as in the list) and every stored version's number, dates and layout, oldest first, without the definitions: what a page that polls needs. `GET /v1/campaigns/:key` carries every definition, and a campaign gains a version at every save.",
    success: { status: 200, schema: CampaignVersionList, description: 'The campaign and its versions.' },
    errors: [404],
  })
  list(@Param('key') key: string) {
    return this.service.list(key);
  }

  @Get(':key/versions/:version')
  @ApiRoute({
    operationId: 'getCampaignVersion',
    role: 'operator',
    summary: 'One stored version with its definition as submitted; `latest` reads the newest.',
    success: { status: 200, schema: CampaignVersionDetail, description: 'The version.' },
    errors: [404],
  })
  get(@Param('key') key: string, @Param('version') version: string) {
    return this.service.get(key, version);
  }

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
      'Running journeys per version that ever took entries, each under the version it runs now: the one it entered with, until an idle journey (no path running) moves to the active version at the next entry of its user, so an older version keeps its idle journeys counted until their users come back. From Temporal visibility (`CampaignVersion`, `ExecutionStatus = "Running"`), which trails a start or an end by a moment.',
    success: { status: 200, schema: RunningByVersion, description: 'Running journeys per version.' },
    errors: [404],
  })
  running(@Param('key') key: string) {
    return this.service.running(key);
  }
}
