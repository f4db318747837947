import { Module } from '@nestjs/common';
import { RewardsController } from './rewards.controller';
import { RewardsService } from './rewards.service';
import { UserRewardsController } from './user-rewards.controller';

@Module({
  controllers: [RewardsController, UserRewardsController],
  providers: [RewardsService],
})
export class RewardsModule {}
