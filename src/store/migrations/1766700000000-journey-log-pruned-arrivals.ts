import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `journey_transitions.pruned_arrivals`: the states whose arrivals the
 * retention job deleted from a path just before this move, when it folded
 * the moves between into this one (A → B, B → A, ... B → C logged as
 * A → C). Intervals read it so as not to time an arrival from an earlier
 * visit than the latest one the path made: with that visit gone from the
 * log, a pair across the fold is left out rather than timed too long.
 * Null on every row the job never folded into.
 */
export class JourneyLogPrunedArrivals1766700000000 implements MigrationInterface {
  name = 'JourneyLogPrunedArrivals1766700000000';

  async up(q: QueryRunner): Promise<void> {
    // Nullable without a default: PostgreSQL adds it without rewriting the table.
    await q.query(`alter table journey_transitions add column pruned_arrivals text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table journey_transitions drop column pruned_arrivals`);
  }
}
