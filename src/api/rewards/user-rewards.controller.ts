import { Controller, Get, Param, Query } from '@nestjs/common';
import type { UserRewards } from '../../store/repositories/rewards.repository';
import { ApiRoute } from '../common/api-route';
import { inputPart, parseAll } from '../common/zod-input';
import { UserId } from '../users/users.schemas';
import { UserRewardsQuery, UserRewardsResponse } from './rewards.schemas';
import { RewardsService } from './rewards.service';

/** Beside UsersController's profile routes: a user with no rewards has an empty list, not a 404. */
@Controller('v1/users')
export class UserRewardsController {
  constructor(private readonly service: RewardsService) {}

  @Get(':id/rewards')
  @ApiRoute({
    operationId: 'listUserRewards',
    role: 'support',
    summary:
      "The user's rewards (with the events that caused them) and balances of points and credit; `?limit=` lists only the newest (`next` pages back with `before`), `?causedBy=` only those an event caused.",
    query: UserRewardsQuery,
    success: { status: 200, schema: UserRewardsResponse, description: 'The rewards (an empty list for an unknown user).' },
  })
  list(@Param('id') id: string, @Query() query: unknown): Promise<UserRewards> {
    // The id and the query at once: a 400 names every bad part.
    const [userId, filter] = parseAll(inputPart(UserId, id, 'id'), inputPart(UserRewardsQuery, query ?? {}));
    return this.service.forUser(userId, filter);
  }
}
