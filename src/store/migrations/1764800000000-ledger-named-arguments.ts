import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_JSONB_FUNCTION } from './rewards-ledger/issue-reward-jsonb.sql';
import { RECLAIM_REWARD_JSONB_FUNCTION } from './rewards-ledger/reclaim-reward-jsonb.sql';

/**
 * The ledger functions take the request as one jsonb object with named
 * fields instead of positional parameters (issue 12, item 3):
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)` and
 * `kairos_reclaim_reward(p_request jsonb)`. Their bodies are the previous
 * versions' unchanged; see the two .sql.ts files.
 *
 * The positional versions (`kairos_issue_reward(text, text, int, text, text,
 * text[], text, numeric, text, text, boolean, boolean)` and
 * `kairos_reclaim_reward(text, text, text)`) are kept on purpose: the first
 * process of this release to boot runs this migration while workers of the
 * previous release are still issuing and reclaiming rewards through them in
 * a rolling deploy. They are overloads (a different argument list), so both
 * releases work against one schema and share the advisory locks (same key
 * spelling), so a key issued by one and reclaimed by the other stays
 * exactly-once. Nothing in this release calls them. Migration
 * 1767400000000 (DropPositionalLedgerFunctions) drops them: left installed,
 * they bypass what the jsonb versions learned later (reward_answers).
 */
export class LedgerNamedArguments1764800000000 implements MigrationInterface {
  name = 'LedgerNamedArguments1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ISSUE_REWARD_JSONB_FUNCTION);
    await q.query(RECLAIM_REWARD_JSONB_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function kairos_reclaim_reward(jsonb)`);
    await q.query(`drop function kairos_issue_reward(jsonb, boolean)`);
  }
}
