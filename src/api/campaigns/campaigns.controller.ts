import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import type { Config } from '../../config/config';
import { refuseOversized } from '../common/size-caps';
import { CONFIG } from '../core/tokens';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { ActivateBody, EmptyBody } from './campaigns.schemas';
import { CampaignsService } from './campaigns.service';

/** Campaign definitions go to the compiler as they are: its issues carry the paths and positions operators need. */
@Controller('v1/campaigns')
@RequireRole('operator')
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
  @HttpCode(201)
  create(@Body() body: unknown) {
    return this.service.create(this.capped(body));
  }

  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: unknown) {
    return { ok: true as const, summary: this.service.validate(this.capped(body)) };
  }

  @Get()
  async list() {
    return { campaigns: await this.service.list() };
  }

  @Get(':key')
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Put(':key')
  addVersion(@Param('key') key: string, @Body() body: unknown) {
    return this.service.addVersion(key, this.capped(body));
  }

  @Post(':key/activate')
  @HttpCode(200)
  activate(@Param('key') key: string, @Body() body: unknown) {
    return this.service.activate(key, parseInput(ActivateBody, body ?? {}).version);
  }

  @Post(':key/pause')
  @HttpCode(200)
  pause(@Param('key') key: string, @Body() body: unknown) {
    parseInput(EmptyBody, body ?? {});
    return this.service.pause(key);
  }

  @Post(':key/archive')
  @HttpCode(200)
  archive(@Param('key') key: string, @Body() body: unknown) {
    parseInput(EmptyBody, body ?? {});
    return this.service.archive(key);
  }
}
