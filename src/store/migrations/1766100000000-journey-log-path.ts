import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which path of its journey each journey-log row moved. A parallel journey
 * runs several paths at once; intervals (time from state A to state B) pair
 * an arrival with the next one of the same path, where pairing within the
 * journey paired one path's arrival with another's and dropped the rest.
 * Rows written before this stay null, and pair as they did.
 */
export class JourneyLogPath1766100000000 implements MigrationInterface {
  name = 'JourneyLogPath1766100000000';

  async up(q: QueryRunner): Promise<void> {
    // Nullable without a default: PostgreSQL adds it without rewriting the table.
    await q.query(`alter table journey_transitions add column path_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table journey_transitions drop column path_id`);
  }
}
