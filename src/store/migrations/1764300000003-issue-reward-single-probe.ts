import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_FUNCTION } from './rewards-ledger/issue-reward.sql';
import { ISSUE_REWARD_SINGLE_PROBE_FUNCTION } from './rewards-ledger/issue-reward-single-probe.sql';

/**
 * Replaces kairos_issue_reward (issue 11, item 9): the shard probe releases
 * the shards it skipped before a sweep locks them all (no deadlock), and the
 * probe is also the charge (each shard row touched once). Same signature and
 * outcomes; see issue-reward-single-probe.sql.ts.
 */
export class IssueRewardSingleProbe1764300000003 implements MigrationInterface {
  name = 'IssueRewardSingleProbe1764300000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_SINGLE_PROBE_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_FUNCTION.replace('create function', 'create or replace function'));
  }
}
