import { Controller, Get } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { SchemaCheckedParam, SchemaCheckedQuery } from '../common/schema-checked-input';
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
  events(@SchemaCheckedParam('id') id: string, @SchemaCheckedQuery() query: unknown) {
    // The id and the query parsed together (the service), so one 400 names a NUL in either and every other problem.
    return this.service.page(id, query);
  }
}
