import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { Reward } from '../../store/ledger/reward';
import { RequireRole } from '../common/roles';
import { RewardsService } from './rewards.service';

@Controller('v1/rewards')
export class RewardsController {
  constructor(private readonly service: RewardsService) {}

  /** Redeeming twice answers 200 both times. */
  @Post(':id/redeem')
  @HttpCode(200)
  @RequireRole('ingest')
  async redeem(@Param('id') id: string): Promise<Reward> {
    return this.service.redeem(id);
  }
}
