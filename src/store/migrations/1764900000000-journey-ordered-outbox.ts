import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries to one journey go out in order: a row is sent only when no older
 * undelivered row of its workflow id exists, and the relay claims a journey's
 * rows together behind its oldest one. This index answers "the oldest
 * undelivered row of this journey" and "this journey's undelivered rows".
 */
export class JourneyOrderedOutbox1764900000000 implements MigrationInterface {
  name = 'JourneyOrderedOutbox1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index signal_outbox_journey_idx on signal_outbox (workflow_id, id) where delivered_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index signal_outbox_journey_idx`);
  }
}
