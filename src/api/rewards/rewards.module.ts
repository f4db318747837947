import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { DATA_SOURCE } from '../core/tokens';
import { RewardsController } from './rewards.controller';
import { RewardsService } from './rewards.service';
import { UserRewardsController } from './user-rewards.controller';

@Module({
  controllers: [RewardsController, UserRewardsController],
  providers: [RewardsService, { provide: RewardsRepository, useFactory: (ds: DataSource) => new RewardsRepository(ds), inject: [DATA_SOURCE] }],
  // The events module reads what a cancel reclaimed (RewardsRepository.reclaimedBy).
  exports: [RewardsRepository],
})
export class RewardsModule {}
