import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_SINGLE_PROBE_FUNCTION } from './rewards-ledger/issue-reward-single-probe.sql';
import { RECLAIM_REWARD_VOIDING_FUNCTION } from './rewards-ledger/reclaim-reward-voiding.sql';

/**
 * Drops the positional ledger functions that LedgerNamedArguments1764800000000
 * kept for workers of the release before it during that rolling deploy:
 * every release since calls only the jsonb versions. (An upgrade straight
 * from before 1764800000000 stops its old workers first: docs/operations.md,
 * Upgrading.) Left installed, the positional issue was a way around
 * everything the jsonb one learned since (it never reads `reward_answers`, so
 * a key told `exhausted` or `alreadyHolding` could still be issued through it
 * by an old image brought back or a script from an old runbook); review 56,
 * finding 3.
 *
 * `down` puts back the last bodies they had (issue: single-probe, reclaim:
 * voiding).
 */
export class DropPositionalLedgerFunctions1767400000000 implements MigrationInterface {
  name = 'DropPositionalLedgerFunctions1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_issue_reward(text, text, int, text, text, text[], text, numeric, text, text, boolean, boolean)`);
    await q.query(`drop function kairos_reclaim_reward(text, text, text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_SINGLE_PROBE_FUNCTION);
    await q.query(RECLAIM_REWARD_VOIDING_FUNCTION);
  }
}
