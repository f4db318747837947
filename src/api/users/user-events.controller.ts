import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { UserEventsQuery, UserEventsResponse } from './user-events.schemas';
import { UserEventsService } from './user-events.service';

@Controller('v1/users')
export class UserEventsController {
  constructor(private readonly service: UserEventsService) {}

  @Get(':id/events')
  @ApiRoute({
    operationId: 'listUserEvents',
    role: 'support',
    summary: "The user's events, newest received first, paged with `cursor`, each with whether and why it was cancelled.",
    query: UserEventsQuery,
    success: { status: 200, schema: UserEventsResponse, description: 'One page of events (empty for an unknown user).' },
  })
  events(@Param('id') id: string, @Query() query: unknown) {
    return this.service.page(id, query);
  }
}
