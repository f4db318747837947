import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.refusals`: how many of the row's attempts Temporal refused
 * for good (the payload itself: INVALID_ARGUMENT, OUT_OF_RANGE, UNIMPLEMENTED,
 * a message past the gRPC size limit). A delivery is closed as `dead` by its
 * refusals alone; `attempts` also counts timeouts, an unreachable Temporal,
 * rate limits and a full run, and a row that failed a few times during an
 * outage was closed on its first refusal afterwards. Rows from before the
 * column start at 0. A constant default, so adding it rewrites no row.
 */
export class OutboxRefusals1766500000000 implements MigrationInterface {
  name = 'OutboxRefusals1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column refusals integer not null default 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox drop column refusals`);
  }
}
