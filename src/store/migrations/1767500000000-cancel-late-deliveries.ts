import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `events.cancel_late_deliveries`: how many times a sender found that a
 * journey had taken the event after its cancel closed the delivery (the send
 * was in flight when the cancel came; SignalOutboxRepository.sentButCancelled).
 * Each such find makes the cancel unfinished again, in the same transaction,
 * and only a teller that read the count before it told the journeys (so told
 * them after that journey had the event) may finish it: a cancel request
 * whose own signals went out before the journey existed no longer finishes
 * it while the one sending the cancel again is still to do so (review 57,
 * finding 1). A counter, compared for equality only; 0 for every event
 * stored before, which had no way to say more.
 */
export class CancelLateDeliveries1767500000000 implements MigrationInterface {
  name = 'CancelLateDeliveries1767500000000';

  async up(q: QueryRunner): Promise<void> {
    // A constant default: PostgreSQL 11+ adds it without rewriting the table.
    await q.query(`alter table events add column cancel_late_deliveries int not null default 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table events drop column cancel_late_deliveries`);
  }
}
