import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages and webhook calls left `pending` or `retrying` for good (their
 * step was skipped, or ran out of attempts and its journey ended) are pruned
 * once their journey no longer runs. Few rows are ever unfinished, so the
 * index the retention job walks them by stays small.
 */
export class UnfinishedDispatchIndex1765800000000 implements MigrationInterface {
  name = 'UnfinishedDispatchIndex1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index messages_unfinished_idx on messages (created_at, id) where status in ('pending', 'retrying')`);
    await q.query(`create index webhook_calls_unfinished_idx on webhook_calls (created_at, id) where status in ('pending', 'retrying')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index webhook_calls_unfinished_idx`);
    await q.query(`drop index messages_unfinished_idx`);
  }
}
