import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import type { Config } from '../../config/config';
import { refuseOversized } from '../common/size-caps';
import { CONFIG } from '../core/tokens';
import { ApiRoute } from '../common/api-route';
import { EmptyBody } from '../common/empty-body';
import { parseInput } from '../common/zod-input';
import {
  ActivateBody,
  CampaignCreated,
  CampaignDetail,
  CampaignList,
  CampaignListQuery,
  CampaignSummary,
  CampaignVersionCreated,
  CreateCampaignBody,
  UpdateCampaignBody,
  ValidateCampaignBody,
  ValidateResponse,
} from './campaigns.schemas';
import { CampaignsService } from './campaigns.service';

/** The smallest campaign that compiles: the documented example of every campaign body. */
const exampleCampaign = {
  key: 'welcome',
  name: 'Welcome on first order',
  entry: { on: 'order.completed', if: 'event.amount > 0' },
  initial: 'welcomed',
  states: { welcomed: { end: true } },
};

/** Campaign definitions go to the compiler as they are: its issues carry the paths and positions operators need. */
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly service: CampaignsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** A journey carries its plan (activity results, continue-as-new): a definition Temporal could not carry is refused whole. */
  private capped(body: unknown): unknown {
    refuseOversized([{ path: '', value: body, capBytes: this.config.sizeCaps.campaignBytes }]);
    return body;
  }

  @Post()
  @ApiRoute({
    operationId: 'createCampaign',
    role: 'operator',
    summary:
      'Create a campaign (CAMPAIGNS.md) as a draft with version 1. Compile errors answer 400 with their paths and positions. `layout` (optional, not part of the definition) is where the canvas drew the nodes.',
    body: CreateCampaignBody,
    example: exampleCampaign,
    success: { status: 201, schema: CampaignCreated, description: 'Created as a draft.' },
    errors: [409],
  })
  create(@Body() body: unknown) {
    return this.service.create(this.capped(body));
  }

  @Post('validate')
  @ApiRoute({
    operationId: 'validateCampaign',
    role: 'operator',
    summary: 'Compile only: the summary of the plan, or 400 with every problem and its path.',
    body: ValidateCampaignBody,
    example: exampleCampaign,
    success: { status: 200, schema: ValidateResponse, description: 'The campaign compiles.' },
  })
  async validate(@Body() body: unknown) {
    return { ok: true as const, ...(await this.service.validate(this.capped(body))) };
  }

  @Get()
  @ApiRoute({
    operationId: 'listCampaigns',
    role: 'operator',
    summary: 'Every campaign with its status and versions; `?counts=true` adds each one\'s entries and running journeys.',
    query: CampaignListQuery,
    success: { status: 200, schema: CampaignList, description: 'The campaigns.' },
  })
  async list(@Query() query: unknown) {
    return this.service.list(query);
  }

  @Get(':key')
  @ApiRoute({
    operationId: 'getCampaign',
    role: 'operator',
    summary: 'One campaign: its versions (definitions as submitted), status, active version and journey counts per state.',
    success: { status: 200, schema: CampaignDetail, description: 'The campaign.' },
    errors: [404],
  })
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Put(':key')
  @ApiRoute({
    operationId: 'addCampaignVersion',
    role: 'operator',
    summary:
      'A new immutable version (`key` may be left out; if given it must be the one in the path). Running journeys keep theirs. Optional, beside the definition: `layout` (node positions, stored with the version) and `baseVersion` (the version the edit started from: when another version was saved since, 409 `version_conflict` names the latest and nothing is stored).',
    body: UpdateCampaignBody,
    example: exampleCampaign,
    success: { status: 200, schema: CampaignVersionCreated, description: 'The new version.' },
    errors: [404, 409],
  })
  addVersion(@Param('key') key: string, @Body() body: unknown) {
    return this.service.addVersion(key, this.capped(body));
  }

  @Post(':key/activate')
  @ApiRoute({
    operationId: 'activateCampaign',
    role: 'operator',
    summary:
      'New entries use this version (default: the latest). Refused with 400 if it does not compile against the current reward pools. From draft, active (a version switch) or paused (a resume); `ifStatus` narrows that, e.g. `["draft", "active"]` never resumes a campaign paused meanwhile: another status is a 409 `invalid_status_change` naming it, and nothing changes. `ifActiveVersion` does the same for the active version (409 `active_version_changed`).',
    body: ActivateBody,
    example: { version: 2, ifStatus: ['draft', 'active'], ifActiveVersion: 1 },
    success: { status: 200, schema: CampaignSummary, description: 'Active.' },
    errors: [404, 409],
  })
  activate(@Param('key') key: string, @Body() body: unknown) {
    const { version, ifStatus, ifActiveVersion } = parseInput(ActivateBody, body ?? {});
    return this.service.activate(key, version, ifStatus, ifActiveVersion);
  }

  @Post(':key/pause')
  @ApiRoute({
    operationId: 'pauseCampaign',
    role: 'operator',
    summary: 'No new entries; running journeys still get their events.',
    body: EmptyBody,
    example: {},
    success: { status: 200, schema: CampaignSummary, description: 'Paused.' },
    errors: [404, 409],
  })
  pause(@Param('key') key: string, @Body() body: unknown) {
    parseInput(EmptyBody, body ?? {});
    return this.service.pause(key);
  }

  @Post(':key/archive')
  @ApiRoute({
    operationId: 'archiveCampaign',
    role: 'operator',
    summary: 'No new entries and no more events for running journeys, which end once no path runs. Final.',
    body: EmptyBody,
    example: {},
    success: { status: 200, schema: CampaignSummary, description: 'Archived; its running journeys are told.' },
    errors: [404, 409],
  })
  archive(@Param('key') key: string, @Body() body: unknown) {
    parseInput(EmptyBody, body ?? {});
    return this.service.archive(key);
  }
}
