import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intervals pair an arrival into `from` with the next arrival into `to` of
 * the same path. On journey_transitions_workflow_state_idx (workflow_id,
 * to_state, at, id) the path was only a filter: for a path that never
 * reached `to`, the probe read every later path's arrival into `to` in that
 * journey, so a re-entering journey cost the square of its entries. With
 * the path after the workflow, each probe is a range of one path's (or of
 * the rows without a path's) arrivals, and its first row is the answer.
 *
 * Built as the other log indexes are (in the migration's transaction): the
 * build holds off writes to the journey log while it runs.
 */
export class IntervalsPathIndex1767100000000 implements MigrationInterface {
  name = 'IntervalsPathIndex1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index journey_transitions_workflow_path_state_idx on journey_transitions (workflow_id, path_id, to_state, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_transitions_workflow_path_state_idx`);
  }
}
