import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `campaign_versions.definition_as_sent` (json): a version's definition with
 * its keys in the order it was written. jsonb reorders keys (shortest
 * first), so an exported campaign listed its states by name length and
 * its fields in no order anyone wrote them. The definition is read from
 * here; `definition` (jsonb) stays, generated from it, for the statements
 * that look inside definitions (funnel states, live journeys, cron).
 * Versions stored before keep the order jsonb gave them: that is all that
 * was kept.
 */
export class CampaignDefinitionAsSent1765300000000 implements MigrationInterface {
  name = 'CampaignDefinitionAsSent1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaign_versions add column definition_as_sent json`);
    await q.query(`update campaign_versions set definition_as_sent = definition::json`);
    await q.query(`alter table campaign_versions alter column definition_as_sent set not null`);
    await q.query(`alter table campaign_versions drop column definition`);
    await q.query(`alter table campaign_versions add column definition jsonb not null generated always as (definition_as_sent::jsonb) stored`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaign_versions add column definition_jsonb jsonb`);
    await q.query(`update campaign_versions set definition_jsonb = definition`);
    await q.query(`alter table campaign_versions drop column definition`);
    await q.query(`alter table campaign_versions rename column definition_jsonb to definition`);
    await q.query(`alter table campaign_versions alter column definition set not null`);
    await q.query(`alter table campaign_versions drop column definition_as_sent`);
  }
}
