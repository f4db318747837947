import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { CampaignKeyParam, ExitBody, HeldActionBody, UserIdParam } from './journeys.schemas';
import { JourneysService } from './journeys.service';

/** One user's journey in one campaign: support reads it, operators intervene. */
@Controller('v1/journeys')
export class JourneysController {
  constructor(private readonly service: JourneysService) {}

  @Get(':campaign/:user')
  @RequireRole('support')
  get(@Param('campaign') campaign: string, @Param('user') user: string) {
    return this.service.get(...ids(campaign, user));
  }

  @Post(':campaign/:user/exit')
  @HttpCode(202)
  @RequireRole('operator')
  exit(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.exit(...ids(campaign, user), parseInput(ExitBody, body ?? {}).reason);
  }

  @Post(':campaign/:user/retry')
  @HttpCode(200)
  @RequireRole('operator')
  retry(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.decide(...ids(campaign, user), 'retry', parseInput(HeldActionBody, body ?? {}));
  }

  @Post(':campaign/:user/skip')
  @HttpCode(200)
  @RequireRole('operator')
  skip(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.decide(...ids(campaign, user), 'skip', parseInput(HeldActionBody, body ?? {}));
  }
}

function ids(campaign: string, user: string): [string, string] {
  return [parseInput(CampaignKeyParam, campaign, 'campaign'), parseInput(UserIdParam, user, 'user')];
}
