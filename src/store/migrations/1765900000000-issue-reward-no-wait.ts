import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_LEAN_FUNCTION } from './rewards-ledger/issue-reward-lean.sql';
import { ISSUE_REWARD_NO_WAIT_FUNCTION } from './rewards-ledger/issue-reward-no-wait.sql';

/**
 * Replaces the body of `kairos_issue_reward(jsonb, boolean)` with one whose
 * probe never waits (see issue-reward-no-wait.sql.ts), so batches of a busy
 * unlimited pool cannot deadlock. Same signature: workers of the previous
 * release keep calling it during a rolling deploy, and they already answer
 * KR003 by sweeping alone.
 */
export class IssueRewardNoWait1765900000000 implements MigrationInterface {
  name = 'IssueRewardNoWait1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_NO_WAIT_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_LEAN_FUNCTION);
  }
}
