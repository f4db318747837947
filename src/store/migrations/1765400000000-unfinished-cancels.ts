import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `events.cancel_unfinished_since`: set when an event is cancelled, cleared
 * once every journey it was routed to has been told and the ledger has
 * reclaimed what it caused. A cancel that Temporal interrupted used to wait
 * for someone to repeat the request; the API's cancel finisher now picks up
 * these rows and finishes them. Cancels recorded before read as finished
 * (null): nothing says otherwise, and repeating them all at once would flood
 * Temporal with signals it has had.
 */
export class UnfinishedCancels1765400000000 implements MigrationInterface {
  name = 'UnfinishedCancels1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table events add column cancel_unfinished_since timestamptz`);
    await q.query(`alter table events add column cancel_retry_at timestamptz`);
    await q.query(`create index events_cancel_unfinished on events (cancel_retry_at) where cancel_unfinished_since is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index events_cancel_unfinished`);
    await q.query(`alter table events drop column cancel_retry_at`);
    await q.query(`alter table events drop column cancel_unfinished_since`);
  }
}
