import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION } from './rewards-ledger/issue-reward-wait-for-code.sql';
import { ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION } from './rewards-ledger/issue-rewards-batch-try-lock.sql';
import { ISSUE_REWARD_WHOLE_SHARES_FUNCTION, ISSUE_REWARDS_BATCH_KEEPS_OTHERS_FUNCTION } from './rewards-ledger/issue-reward-whole-shares.sql';

/**
 * Replaces the bodies of `kairos_issue_reward(jsonb, boolean)`, whose sweep
 * now spreads what is left in whole rewards of the cost asked for, and of
 * `kairos_issue_rewards(jsonb)`, which now answers `issueAlone` for a request
 * whose probe found no room instead of rolling the whole batch back (see
 * issue-reward-whole-shares.sql.ts; review 58, finding 1). Same signatures
 * and answers: workers of the previous release keep calling them during a
 * rolling deploy, and they already issue an `issueAlone` request alone after
 * the batch. No data is changed: shards spread the old way keep their shares
 * until the pool's next sweep spreads them again (new pools and top-ups are
 * spread in whole units by the repository).
 *
 * `down` puts back the bodies they had (issue: wait-for-code, batch: try-lock).
 *
 * A note on frozen text (review 58, finding 2): the comment on
 * `coupon_codes.state` in RewardsLedger1763800000000 says nothing in the
 * engine voids a code. Since VoidReclaimedCoupons1764300000001, every
 * reclaim of an unused coupon voids its code (`void`: never handed out
 * again); that reclaim is the only thing that voids one.
 */
export class IssueRewardWholeShares1767610000000 implements MigrationInterface {
  name = 'IssueRewardWholeShares1767610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_WHOLE_SHARES_FUNCTION);
    await q.query(ISSUE_REWARDS_BATCH_KEEPS_OTHERS_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION);
    await q.query(ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION);
  }
}
