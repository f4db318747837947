import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_FUNCTION } from './rewards-ledger/issue-reward.sql';
import { ISSUE_REWARD_SINGLE_PROBE_FUNCTION } from './rewards-ledger/issue-reward-single-probe.sql';

/**
 * Replaces kairos_issue_reward (issue 11, item 9): the shard probe releases
 * the shards it skipped before a sweep locks them all (no deadlock: a probe
 * that finds nothing aborts and the caller sweeps in a new call, p_sweep),
 * and the probe is also the charge (each shard row touched once). Same
 * outcomes; see issue-reward-single-probe.sql.ts.
 */
export class IssueRewardSingleProbe1764300000003 implements MigrationInterface {
  name = 'IssueRewardSingleProbe1764300000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_issue_reward(text, text, int, text, text, text[], text, numeric, text, text, boolean)`);
    await q.query(ISSUE_REWARD_SINGLE_PROBE_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_issue_reward(text, text, int, text, text, text[], text, numeric, text, text, boolean, boolean)`);
    await q.query(ISSUE_REWARD_FUNCTION);
  }
}
