import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * journey_transitions_campaign_idx (campaign_key, to_state) is the prefix of
 * journey_transitions_campaign_state_at_idx (IntervalsWindowIndex1767000000000),
 * which serves every read it served. Dropped in a migration of its own: the
 * drop needs the log's exclusive lock, so it waits for every transaction
 * reading the log (an older instance's analytics read, a retention batch),
 * and gives way after the migrations' lock timeout. Only this cheap drop is
 * rolled back and tried again then; the new index's build stays committed.
 */
export class DropJourneyCampaignIndex1767200000000 implements MigrationInterface {
  name = 'DropJourneyCampaignIndex1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_transitions_campaign_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`create index journey_transitions_campaign_idx on journey_transitions (campaign_key, to_state)`);
  }
}
