import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { parseInput } from '../common/zod-input';
import { CampaignKeyParam, ExitBody, ExitResponse, HeldActionBody, HeldActionResponse, JourneyResponse, UserIdParam } from './journeys.schemas';
import { JourneysService } from './journeys.service';

/** One user's journey in one campaign: support reads it, operators intervene. */
@Controller('v1/journeys')
export class JourneysController {
  constructor(private readonly service: JourneysService) {}

  @Get(':campaign/:user')
  @ApiRoute({
    operationId: 'getJourney',
    role: 'support',
    summary:
      "One user's journey in one campaign: paths, aggregates, held steps, rewards and the decision trace (the workflow's `state` query). 409 `journey_unreadable` for a closed journey that cannot answer it (one that failed before loading its campaign): asking again will not change that.",
    success: { status: 200, schema: JourneyResponse, description: 'The journey.' },
    errors: [404, 409],
  })
  get(@Param('campaign') campaign: string, @Param('user') user: string) {
    return this.service.get(...ids(campaign, user));
  }

  @Post(':campaign/:user/exit')
  @ApiRoute({
    operationId: 'exitJourney',
    role: 'operator',
    summary: "End this user's journey now (the exit signal); what its paths still had waiting is dropped.",
    body: ExitBody,
    example: { reason: 'asked by the user' },
    success: { status: 202, schema: ExitResponse, description: 'The journey is told to exit.' },
    errors: [404],
  })
  exit(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.exit(...ids(campaign, user), parseInput(ExitBody, body ?? {}).reason);
  }

  @Post(':campaign/:user/retry')
  @ApiRoute({
    operationId: 'retryJourneyStep',
    role: 'operator',
    summary: 'Run a held step (one that failed for good) again. 409 when nothing is held, or several are and no stepId names one.',
    body: HeldActionBody,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step runs again.' },
    errors: [404, 409],
  })
  retry(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.decide(...ids(campaign, user), 'retry', parseInput(HeldActionBody, body ?? {}));
  }

  @Post(':campaign/:user/skip')
  @ApiRoute({
    operationId: 'skipJourneyStep',
    role: 'operator',
    summary: 'Move past a held step as if it had succeeded. 409 when nothing is held, or several are and no stepId names one.',
    body: HeldActionBody,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step is skipped.' },
    errors: [404, 409],
  })
  skip(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.decide(...ids(campaign, user), 'skip', parseInput(HeldActionBody, body ?? {}));
  }
}

function ids(campaign: string, user: string): [string, string] {
  return [parseInput(CampaignKeyParam, campaign, 'campaign'), parseInput(UserIdParam, user, 'user')];
}
