import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intervals leave out a pair across a retention fold: they look for a move
 * of the journey between the two arrivals whose `pruned_arrivals` names
 * either state. On journey_transitions_workflow_at_idx that probe read
 * every move of the journey in between, the other paths' included, and only
 * then dropped the rows without `pruned_arrivals` (nearly all of them): a
 * parallel journey paid for every other path's moves in each timed pair
 * (review 60, analytics finding 5). Folded rows are few; indexed apart, the
 * probe reads only them. The statement needs no change: PostgreSQL proves
 * `pruned_arrivals is not null` from its `&&`, which is strict.
 *
 * Built as the other log indexes are (in the migration's transaction): the
 * build holds off writes to the journey log while it runs; it reads the
 * table once and writes an entry for the few folded rows only.
 */
export class JourneyLogFoldedIndex1767700000000 implements MigrationInterface {
  name = 'JourneyLogFoldedIndex1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index journey_transitions_folded_idx on journey_transitions (workflow_id, at, id) where pruned_arrivals is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index journey_transitions_folded_idx`);
  }
}
