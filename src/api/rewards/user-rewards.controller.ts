import { Controller, Get, Param } from '@nestjs/common';
import type { UserRewards } from '../../store/repositories/rewards.repository';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { UserId } from '../users/users.schemas';
import { RewardsService } from './rewards.service';

/** Beside UsersController's profile routes: a user with no rewards has an empty list, not a 404. */
@Controller('v1/users')
export class UserRewardsController {
  constructor(private readonly service: RewardsService) {}

  @Get(':id/rewards')
  @RequireRole('support')
  list(@Param('id') id: string): Promise<UserRewards> {
    return this.service.forUser(parseInput(UserId, id, 'id'));
  }
}
