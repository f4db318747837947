import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { DATA_SOURCE } from '../core/tokens';
import { RewardsController } from './rewards.controller';
import { RewardsService } from './rewards.service';

@Module({
  controllers: [RewardsController],
  providers: [RewardsService, { provide: RewardsRepository, useFactory: (ds: DataSource) => new RewardsRepository(ds), inject: [DATA_SOURCE] }],
  // The users module lists a user's rewards and balances with RewardsRepository.forUser.
  exports: [RewardsRepository],
})
export class RewardsModule {}
