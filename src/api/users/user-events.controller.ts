import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { UserEventsService } from './user-events.service';

@Controller('v1/users')
export class UserEventsController {
  constructor(private readonly service: UserEventsService) {}

  @Get(':id/events')
  @RequireRole('support')
  events(@Param('id') id: string, @Query() query: unknown) {
    return this.service.page(id, query);
  }
}
