import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_ANSWERS_FUNCTION, ISSUE_REWARDS_BATCH_ANSWERS_FUNCTION } from './rewards-ledger/issue-reward-answers.sql';
import { ISSUE_REWARD_NO_WAIT_FUNCTION } from './rewards-ledger/issue-reward-no-wait.sql';
import { ISSUE_REWARDS_BATCH_FUNCTION } from './rewards-ledger/issue-rewards-batch.sql';

/**
 * `reward_answers`: a key's first answer other than issued (exhausted,
 * alreadyHolding), so that a repeated key always gets it back (see
 * issue-reward-answers.sql.ts), and the issue functions that write and read
 * it. Same signatures: workers of the previous release keep calling them
 * during a rolling deploy and get the same answers. No foreign key to
 * `rewards`: the held reward is only read back, and the ledger never
 * deletes a reward.
 */
export class RewardAnswers1766850000000 implements MigrationInterface {
  name = 'RewardAnswers1766850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table reward_answers (
        idempotency_key text primary key,
        outcome text not null check (outcome in ('exhausted', 'alreadyHolding')),
        detail text,
        -- alreadyHolding: the reward the user held.
        reward_id uuid,
        answered_at timestamptz not null default now()
      )`);
    // The retention job prunes the oldest.
    await q.query(`create index reward_answers_answered_at_idx on reward_answers (answered_at)`);
    await q.query(ISSUE_REWARD_ANSWERS_FUNCTION);
    await q.query(ISSUE_REWARDS_BATCH_ANSWERS_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARDS_BATCH_FUNCTION);
    await q.query(ISSUE_REWARD_NO_WAIT_FUNCTION);
    await q.query(`drop table reward_answers`);
  }
}
