import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message or webhook call being sent is claimed until `claimed_until`:
 * another attempt for the same key (a journey's run continued as new while
 * the first POST was under way, an attempt outliving its timeout) waits for
 * the claim instead of POSTing the same delivery again.
 */
export class DispatchClaims1766400000000 implements MigrationInterface {
  name = 'DispatchClaims1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table messages add column claimed_until timestamptz`);
    await q.query(`alter table webhook_calls add column claimed_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table messages drop column claimed_until`);
    await q.query(`alter table webhook_calls drop column claimed_until`);
  }
}
