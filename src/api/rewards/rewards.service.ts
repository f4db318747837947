import { Injectable } from '@nestjs/common';
import type { Reward } from '../../store/ledger/reward';
import { RewardsRepository, type UserRewards } from '../../store/repositories/rewards.repository';
import { ConflictError, NotFoundError } from '../common/errors';
import { decodeRewardsCursor, encodeRewardsCursor } from './rewards-cursor';
import type { UserRewardsQuery } from './rewards.schemas';

@Injectable()
export class RewardsService {
  constructor(private readonly rewards: RewardsRepository) {}

  /** Marks a coupon used, so a later reclaim reports it unreclaimable instead of voiding it. */
  async redeem(id: string): Promise<Reward> {
    const r = await this.rewards.redeem(id);
    if (r.kind === 'notFound') throw new NotFoundError(`No reward "${id}".`);
    if (r.kind === 'conflict') throw new ConflictError(`${r.reason}; it cannot be redeemed.`, 'not_redeemable');
    return r.reward;
  }

  /** A user's rewards (all, or those the query asks for) and balances (API.md's shape, built by the repository in one snapshot). */
  async forUser(userId: string, query: UserRewardsQuery): Promise<UserRewards> {
    const { older, ...answer } = await this.rewards.forUser(userId, {
      limit: query.limit,
      before: query.before === undefined ? undefined : decodeRewardsCursor(query.before),
      causedBy: query.causedBy,
    });
    return older ? { ...answer, next: encodeRewardsCursor(older) } : answer;
  }
}
