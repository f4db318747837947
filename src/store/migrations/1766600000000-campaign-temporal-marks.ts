import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `campaign_temporal_marks`: a campaign whose status changed and whose
 * Temporal side (its batch-entry Schedule, the archive notice to its running
 * journeys) may not match it yet. Written in the status change's transaction,
 * removed once Temporal took the change; a mark left behind (Temporal away,
 * the request's process gone) is picked up by the API's sweep
 * (CampaignTemporalSweep). A table of its own, not a column of `campaigns`:
 * each write there notifies every API instance to reload its routing index.
 */
export class CampaignTemporalMarks1766600000000 implements MigrationInterface {
  name = 'CampaignTemporalMarks1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table campaign_temporal_marks (
        campaign_key text primary key references campaigns (key) on delete cascade,
        marked_at timestamptz not null
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table campaign_temporal_marks`);
  }
}
