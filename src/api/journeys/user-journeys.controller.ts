import { Controller, Get, Param } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { parseInput } from '../common/zod-input';
import { UserIdParam, UserJourneysResponse } from './journeys.schemas';
import { UserJourneysService } from './user-journeys.service';

/** Beside UsersController's profile routes: a user's journeys come from Temporal, not from the profile store. */
@Controller('v1/users')
export class UserJourneysController {
  constructor(private readonly service: UserJourneysService) {}

  @Get(':id/journeys')
  @ApiRoute({
    operationId: 'listUserJourneys',
    role: 'support',
    summary: "The user's journeys, running and closed (Temporal visibility by UserId), each with its state from the journey and a link into the Temporal UI.",
    success: { status: 200, schema: UserJourneysResponse, description: 'The journeys (an empty list for an unknown user).' },
  })
  list(@Param('id') id: string) {
    return this.service.list(parseInput(UserIdParam, id, 'id'));
  }
}
