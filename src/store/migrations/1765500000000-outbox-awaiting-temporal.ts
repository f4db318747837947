import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.awaiting_temporal`: the row's last send failed because
 * Temporal could not be reached, and it waits out its backoff (not a lease:
 * a claim clears it). When Temporal answers again, these rows are made due
 * at once instead of each waiting up to the longest backoff (a minute by
 * default). Rows queued before read as not awaiting: they keep their backoff.
 */
export class OutboxAwaitingTemporal1765500000000 implements MigrationInterface {
  name = 'OutboxAwaitingTemporal1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column awaiting_temporal boolean not null default false`);
    await q.query(`create index signal_outbox_awaiting_temporal on signal_outbox (id) where awaiting_temporal and delivered_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index signal_outbox_awaiting_temporal`);
    await q.query(`alter table signal_outbox drop column awaiting_temporal`);
  }
}
