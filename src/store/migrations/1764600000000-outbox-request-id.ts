import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_outbox.request_id`: the id of the HTTP request (X-Request-Id) that
 * accepted the event, so a delivery can be followed from the request to the
 * journey in the logs. Null for rows from before and for rows without one.
 */
export class OutboxRequestId1764600000000 implements MigrationInterface {
  name = 'OutboxRequestId1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column request_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox drop column request_id`);
  }
}
