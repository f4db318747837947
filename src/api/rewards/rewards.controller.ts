import { Body, Controller, Param, Post } from '@nestjs/common';
import type { Reward } from '../../store/ledger/reward';
import { ApiRoute } from '../common/api-route';
import { EmptyBody } from '../common/empty-body';
import { parseInput } from '../common/zod-input';
import { RewardResponse } from './rewards.schemas';
import { RewardsService } from './rewards.service';

@Controller('v1/rewards')
export class RewardsController {
  constructor(private readonly service: RewardsService) {}

  /** Redeeming twice answers 200 both times. */
  @Post(':id/redeem')
  @ApiRoute({
    operationId: 'redeemReward',
    role: 'ingest',
    summary:
      'Mark a coupon used, so a later reclaim reports it unreclaimable. Redeeming twice is fine; a coupon past its `expiresAt` (it stays issued), a reclaimed coupon or a non-coupon answers 409 `not_redeemable`.',
    body: EmptyBody,
    example: {},
    success: { status: 200, schema: RewardResponse, description: 'The coupon, redeemed.' },
    errors: [404, 409],
  })
  async redeem(@Param('id') id: string, @Body() body: unknown): Promise<Reward> {
    // No field is taken: a `redeemedAt` sent to backdate it must not look accepted.
    parseInput(EmptyBody, body ?? {});
    return this.service.redeem(id);
  }
}
