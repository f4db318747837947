import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `journey_entries`: one row per entry of a user into a campaign, the source
 * of entry numbers and of the counts maxEntries, cooldown and frequency read
 * (issue 11, item 7). Before, both came from the journey log (rows of
 * journey_transitions with no `from` state), found by reading the campaign's
 * log: a pruned log would have given entry numbers out again.
 *
 * Written with the entry's journey-log row, in the same statement (see
 * TransitionsRepository); `transition_key` is that row's key, so a retried
 * write finds its entry and writes nothing, and a journey can leave out its
 * own execution's entries. Backfilled from the log, numbered in its order.
 */
export class JourneyEntries1764300000002 implements MigrationInterface {
  name = 'JourneyEntries1764300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table journey_entries (
        campaign_key text not null,
        user_id text not null,
        entry_no int not null check (entry_no >= 1),
        transition_key text not null unique,
        at timestamptz not null,
        primary key (campaign_key, user_id, entry_no)
      )`);
    await q.query(`
      insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at)
      select campaign_key, user_id, row_number() over (partition by campaign_key, user_id order by at, id), idempotency_key, at
        from journey_transitions
       where from_state is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table journey_entries`);
  }
}
