import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARDS_BATCH_FUNCTION } from './rewards-ledger/issue-rewards-batch.sql';

/**
 * Adds `kairos_issue_rewards(jsonb)`, which issues several rewards in one
 * call and one transaction (see issue-rewards-batch.sql.ts). A new function
 * beside the single one, which it calls: workers of the previous release,
 * which know only the single one, keep working during a rolling deploy.
 */
export class IssueRewardsBatch1765000000400 implements MigrationInterface {
  name = 'IssueRewardsBatch1765000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARDS_BATCH_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_issue_rewards(jsonb)`);
  }
}
