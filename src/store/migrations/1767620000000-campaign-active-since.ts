import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `campaigns.active_since`: when the active version became the active one,
 * by the database's clock, set in the activating change's transaction
 * under the campaign row's lock (so later activations have later times,
 * whichever API host served them). The campaign's running journeys are told
 * the active version's schedule end with it, and a journey keeps the newest
 * it was told (patch schedule-end-follows-activation; review 58, diff
 * finding 2: the API host's clock ordered them). Campaigns active before it
 * take their active version's first activation time, else now.
 */
export class CampaignActiveSince1767620000000 implements MigrationInterface {
  name = 'CampaignActiveSince1767620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaigns add column active_since timestamptz`);
    await q.query(
      `update campaigns c set active_since = coalesce(
         (select v.activated_at from campaign_versions v where v.campaign_key = c.key and v.version = c.active_version), now())
       where c.active_version is not null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaigns drop column active_since`);
  }
}
