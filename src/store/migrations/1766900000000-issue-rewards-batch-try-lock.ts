import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARDS_BATCH_ANSWERS_FUNCTION } from './rewards-ledger/issue-reward-answers.sql';
import { ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION } from './rewards-ledger/issue-rewards-batch-try-lock.sql';

/**
 * Replaces the body of `kairos_issue_rewards(jsonb)` with one that never
 * waits for a key's lock while it holds budget shards (see
 * issue-rewards-batch-try-lock.sql.ts). Same signature and answers: workers
 * of the previous release keep calling it during a rolling deploy, and they
 * already issue an `issueAlone` request alone after the batch.
 */
export class IssueRewardsBatchTryLock1766900000000 implements MigrationInterface {
  name = 'IssueRewardsBatchTryLock1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARDS_BATCH_ANSWERS_FUNCTION);
  }
}
