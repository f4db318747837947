import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { EventCancelService } from './event-cancel.service';
import { EventDetailService } from './event-detail.service';
import { CancelEventBody, EventIdParam } from './events.schemas';

/** Support's side of events: look one up, cancel it. Ingestion stays in EventsController. */
@Controller('v1/events')
@RequireRole('support')
export class EventSupportController {
  constructor(
    private readonly detail: EventDetailService,
    private readonly cancels: EventCancelService,
  ) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.detail.get(parseInput(EventIdParam, id, 'id'));
  }

  /** 202: the cancel is recorded and the journeys told; their reclaiming finishes on its own. */
  @Post(':id/cancel')
  @HttpCode(202)
  cancel(@Param('id') id: string, @Body() body: unknown) {
    return this.cancels.cancel(parseInput(EventIdParam, id, 'id'), parseInput(CancelEventBody, body ?? {}).reason);
  }
}
