import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a retention pass last pruned each kind to its end. Kept in the
 * database, not in the worker that ran it: the API's /metrics reports it
 * (kairos_retention_done_timestamp_seconds), so a stalled pass is seen
 * however often workers restart, and by whichever instance is scraped.
 */
export class RetentionDone1766200000000 implements MigrationInterface {
  name = 'RetentionDone1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table retention_done (kind text primary key, done_at timestamptz not null)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table retention_done`);
  }
}
