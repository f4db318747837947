import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_ANSWERS_FUNCTION } from './rewards-ledger/issue-reward-answers.sql';
import { ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION } from './rewards-ledger/issue-reward-wait-for-code.sql';

/**
 * Replaces the body of `kairos_issue_reward(jsonb, boolean)` with one whose
 * lone coupon claim waits for a code another transaction holds locked
 * instead of answering, and keeping, `exhausted: noCodes` while that code may
 * still come back (see issue-reward-wait-for-code.sql.ts). Same signature
 * and answers: workers of the previous release keep calling it during a
 * rolling deploy, and a batch still never waits.
 */
export class IssueRewardWaitForCode1767300000000 implements MigrationInterface {
  name = 'IssueRewardWaitForCode1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_ANSWERS_FUNCTION);
  }
}
