import { Body, Controller, Get, Headers, Param, Post } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { inputPart, parseAll } from '../common/zod-input';
import { CampaignKeyParam, ExitBody, ExitResponse, HeldActionBody, HeldActionHeaders, HeldActionResponse, IdempotencyKey, JourneyResponse, UserIdParam } from './journeys.schemas';
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
    return this.service.get(...parseAll(...journeyPath(campaign, user)));
  }

  @Post(':campaign/:user/exit')
  @ApiRoute({
    operationId: 'exitJourney',
    role: 'operator',
    summary: "End this user's journey now (the exit signal); what its paths still had waiting is dropped. 409 run_changed when `runId` names a run that has ended while another runs.",
    body: ExitBody,
    example: { reason: 'asked by the user' },
    success: { status: 202, schema: ExitResponse, description: 'The journey is told to exit.' },
    errors: [404, 409],
  })
  exit(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown) {
    return this.service.exit(...parseAll(...journeyPath(campaign, user), inputPart(ExitBody, body ?? {})));
  }

  @Post(':campaign/:user/retry')
  @ApiRoute({
    operationId: 'retryJourneyStep',
    role: 'operator',
    summary:
      'Run a held step (one that failed for good) again. 409 when nothing is held, or several are and no stepId names one; 409 `idempotency_key_reused` when the `Idempotency-Key` was used for another decision of this journey.',
    body: HeldActionBody,
    headers: HeldActionHeaders,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step runs again.' },
    errors: [404, 409],
  })
  retry(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown, @Headers('idempotency-key') key: unknown) {
    return this.decide('retry', campaign, user, body, key);
  }

  @Post(':campaign/:user/skip')
  @ApiRoute({
    operationId: 'skipJourneyStep',
    role: 'operator',
    summary:
      'Go on without a held step: it gives nothing, and its group goes on (under `serial` the steps after it run, under `priority` the next one is tried). 409 when nothing is held, or several are and no stepId names one; 409 `idempotency_key_reused` when the `Idempotency-Key` was used for another decision of this journey.',
    body: HeldActionBody,
    headers: HeldActionHeaders,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step is skipped.' },
    errors: [404, 409],
  })
  skip(@Param('campaign') campaign: string, @Param('user') user: string, @Body() body: unknown, @Headers('idempotency-key') key: unknown) {
    return this.decide('skip', campaign, user, body, key);
  }

  /** Every part checked at once, so a 400 names all the bad ones. The optional Idempotency-Key header: Node joins a repeated one with ", ", which the key's shape refuses. */
  private decide(decision: 'retry' | 'skip', campaign: string, user: string, body: unknown, key: unknown) {
    const [campaignKey, userId, req, idempotencyKey] = parseAll(
      ...journeyPath(campaign, user),
      inputPart(HeldActionBody, body ?? {}),
      inputPart(IdempotencyKey.optional(), key, 'headers.idempotency-key'),
    );
    return this.service.decide(campaignKey, userId, decision, req, idempotencyKey);
  }
}

/** The journey's path parameters, for parseAll with the rest of the request. */
function journeyPath(campaign: string, user: string) {
  return [inputPart(CampaignKeyParam, campaign, 'campaign'), inputPart(UserIdParam, user, 'user')] as const;
}
