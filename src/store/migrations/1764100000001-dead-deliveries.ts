import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.outcome = 'dead'`: a delivery Temporal refuses for good
 * (payload too large, invalid argument) is closed after a few attempts
 * instead of being retried forever; `last_error` keeps the reason. The
 * partial index serves the dead-deliveries gauge without a scan.
 */
export class DeadDeliveries1764100000001 implements MigrationInterface {
  name = 'DeadDeliveries1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table signal_outbox
        drop constraint signal_outbox_outcome_check,
        add constraint signal_outbox_outcome_check check (outcome in ('delivered', 'not-running', 'cancelled', 'dead'))`);
    await q.query(`create index signal_outbox_dead_idx on signal_outbox (id) where outcome = 'dead'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index signal_outbox_dead_idx`);
    // Back to pending: the older schema has no way to say "refused for good".
    await q.query(`update signal_outbox set outcome = null, delivered_at = null where outcome = 'dead'`);
    await q.query(`
      alter table signal_outbox
        drop constraint signal_outbox_outcome_check,
        add constraint signal_outbox_outcome_check check (outcome in ('delivered', 'not-running', 'cancelled'))`);
  }
}
