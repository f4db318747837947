import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event cancellations (POST /v1/events/:id/cancel):
 *
 * - `events.cancelled_at`, `events.cancel_reason`: the first cancel is the
 *   one kept, so cancelling twice is one cancel.
 * - `signal_outbox.outcome = 'cancelled'`: a delivery still queued when its
 *   event is cancelled is closed instead of sent, so a journey that did not
 *   exist yet is never started by (and never counts) a cancelled event.
 */
export class EventCancellations1763950000000 implements MigrationInterface {
  name = 'EventCancellations1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table events add column cancelled_at timestamptz, add column cancel_reason text`);
    await q.query(`
      alter table signal_outbox
        drop constraint signal_outbox_outcome_check,
        add constraint signal_outbox_outcome_check check (outcome in ('delivered', 'not-running', 'cancelled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`update signal_outbox set outcome = 'not-running' where outcome = 'cancelled'`);
    await q.query(`
      alter table signal_outbox
        drop constraint signal_outbox_outcome_check,
        add constraint signal_outbox_outcome_check check (outcome in ('delivered', 'not-running'))`);
    await q.query(`alter table events drop column cancel_reason, drop column cancelled_at`);
  }
}
