import { Controller, Get, Query } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { HeldStepsService } from './held-steps.service';

/** What is stuck: on-call's first question. Reading needs support; retry and skip (per journey) need operator. */
@Controller('v1/held-steps')
export class HeldStepsController {
  constructor(private readonly service: HeldStepsService) {}

  @Get()
  @RequireRole('support')
  list(@Query() query: unknown) {
    return this.service.page(query);
  }
}
