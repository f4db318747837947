import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_JSONB_FUNCTION } from './rewards-ledger/issue-reward-jsonb.sql';
import { ISSUE_REWARD_LEAN_FUNCTION } from './rewards-ledger/issue-reward-lean.sql';

/**
 * Replaces the body of `kairos_issue_reward(jsonb, boolean)` with one that
 * runs two statements instead of six for a points or credit issue (see
 * issue-reward-lean.sql.ts): same signature, so workers of the previous
 * release keep calling it during a rolling deploy, and the replacement is
 * atomic (a call runs the old body or the new one, both exactly-once under
 * the same key lock).
 */
export class IssueRewardLean1765000000300 implements MigrationInterface {
  name = 'IssueRewardLean1765000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_LEAN_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_issue_reward(jsonb, boolean)`);
    await q.query(ISSUE_REWARD_JSONB_FUNCTION);
  }
}
