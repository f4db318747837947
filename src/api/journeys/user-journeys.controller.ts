import { Controller, Get, Param } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { UserIdParam } from './journeys.schemas';
import { UserJourneysService } from './user-journeys.service';

/** Beside UsersController's profile routes: a user's journeys come from Temporal, not from the profile store. */
@Controller('v1/users')
export class UserJourneysController {
  constructor(private readonly service: UserJourneysService) {}

  @Get(':id/journeys')
  @RequireRole('support')
  list(@Param('id') id: string) {
    return this.service.list(parseInput(UserIdParam, id, 'id'));
  }
}
