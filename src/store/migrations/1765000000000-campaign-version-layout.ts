import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `campaign_versions.layout`: where the canvas drew each node of a version
 * (state name → { x, y }). Presentation only: it sits beside the definition,
 * never in it, so the compiled plan and what journeys do stay the same. The
 * one column of a version that may change after it is stored (a positions-only
 * save rewrites it instead of adding a version).
 */
export class CampaignVersionLayout1765000000000 implements MigrationInterface {
  name = 'CampaignVersionLayout1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaign_versions add column layout jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table campaign_versions drop column layout`);
  }
}
