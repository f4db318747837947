import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intervals look up, for each arrival into one state, the next arrival into
 * another in the same workflow: this index answers that with one probe per
 * arrival instead of a scan of the campaign's log. (Funnels read the whole
 * campaign and use journey_transitions_campaign_idx.)
 */
export class AnalyticsIndexes1763900000000 implements MigrationInterface {
  name = 'AnalyticsIndexes1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index journey_transitions_workflow_state_idx on journey_transitions (workflow_id, to_state, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_transitions_workflow_state_idx`);
  }
}
