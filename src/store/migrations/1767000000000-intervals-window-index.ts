import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intervals with `?since=`/`?until=` read the campaign's arrivals into `from`
 * within the window. journey_transitions_campaign_idx (campaign_key,
 * to_state) had no time after the state, so PostgreSQL read every arrival
 * into `from` the campaign ever logged and only then dropped those outside
 * the window: a "last 24 hours" read cost what an all-time one does. With
 * (at, id) after the state the window is a range of this index, and the read
 * costs what the window holds. It replaces journey_transitions_campaign_idx,
 * its prefix, which anything reading by campaign (and state) uses as well.
 *
 * Built as the other log indexes are (in the migration's transaction): the
 * build holds off writes to the journey log while it runs. The old index is
 * dropped by a migration of its own (DropJourneyCampaignIndex1767200000000):
 * the drop waits for every transaction reading the log, and a wait past the
 * lock timeout rolls back its migration's transaction, which is then run
 * again; here, that would throw away the finished build and build it again.
 */
export class IntervalsWindowIndex1767000000000 implements MigrationInterface {
  name = 'IntervalsWindowIndex1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index journey_transitions_campaign_state_at_idx on journey_transitions (campaign_key, to_state, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_transitions_campaign_state_at_idx`);
  }
}
