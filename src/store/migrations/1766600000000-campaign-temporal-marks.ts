import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `campaign_temporal_marks`: a row per campaign status change whose
 * Temporal side (its batch-entry Schedule, the archive notice to its running
 * journeys) may not match it yet. Written in the status change's
 * transaction, removed by the request once Temporal took the change; a row
 * left behind (Temporal away, the request's process gone) is picked up by
 * the API's sweep (CampaignTemporalSweep). A row per change, not per
 * campaign: a later change settling its own must not take away the mark of
 * an earlier one whose sync is still on its way. A table of its own, not a
 * column of `campaigns`: each write there notifies every API instance to
 * reload its routing index.
 */
export class CampaignTemporalMarks1766600000000 implements MigrationInterface {
  name = 'CampaignTemporalMarks1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table campaign_temporal_marks (
        id bigserial primary key,
        campaign_key text not null references campaigns (key) on delete cascade,
        marked_at timestamptz not null default clock_timestamp()
      )`);
    await q.query(`create index campaign_temporal_marks_campaign on campaign_temporal_marks (campaign_key, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table campaign_temporal_marks`);
  }
}
