import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.awaiting_temporal_until`: the end of the backoff that a send
 * which could not reach Temporal gave the row. A row is made due when
 * Temporal is back only while `next_attempt_at` still equals it. A claim
 * moves `next_attempt_at` (the lease), so a row being sent is never made due,
 * even by an API instance from before `awaiting_temporal` that claims without
 * clearing that flag (a rolling upgrade). Rows flagged before this column
 * have none: they keep their backoff.
 */
export class OutboxAwaitingTemporalUntil1765600000000 implements MigrationInterface {
  name = 'OutboxAwaitingTemporalUntil1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column awaiting_temporal_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox drop column awaiting_temporal_until`);
  }
}
