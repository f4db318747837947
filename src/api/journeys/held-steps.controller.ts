import { Controller, Get, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { HeldStepsQuery, HeldStepsResponse } from './held-steps.schemas';
import { HeldStepsService } from './held-steps.service';

/** What is stuck: on-call's first question. Reading needs support; retry and skip (per journey) need operator. */
@Controller('v1/held-steps')
export class HeldStepsController {
  constructor(private readonly service: HeldStepsService) {}

  @Get()
  @ApiRoute({
    operationId: 'listHeldSteps',
    role: 'support',
    summary: 'Steps that failed for good and wait for an operator (retry or skip), across campaigns: which journey, state and step, since when and why. Paged by journey with `cursor`.',
    query: HeldStepsQuery,
    success: { status: 200, schema: HeldStepsResponse, description: 'One page of held steps.' },
  })
  list(@Query() query: unknown) {
    return this.service.page(query);
  }
}
