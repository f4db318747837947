import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.claims`: how many times the relay has claimed the row. A
 * sender records a retry time (or hands a row back) only while the row is
 * still under the claim it was sent under: a record that arrives after its
 * lease ran out and another instance claimed the journey must not shorten
 * that instance's lease. A constant default, so adding it rewrites no row.
 */
export class OutboxClaims1765700000000 implements MigrationInterface {
  name = 'OutboxClaims1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column claims integer not null default 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox drop column claims`);
  }
}
