import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the retention job (src/activities/retention): each prune walks
 * the rows older than its window, oldest first, in small batches, and only
 * the rows it may ever delete are indexed, so the indexes stay small.
 *
 * - deliveries: sent or closed rows by (delivered_at, id); undelivered rows
 *   are never pruned and keep signal_outbox_due_idx.
 * - events: by (received_at, id).
 * - messages and webhook calls: rows in a final status by (created_at, id).
 * - journey log: non-entry rows by (at, id) (entries count towards caps and
 *   are never pruned), and (workflow_id, at, id) to keep each journey's
 *   latest row (what the campaign's current-state counts read).
 * - rewards.caused_by already has a GIN index (`caused_by @> array[id]`).
 */
export class RetentionIndexes1764700000000 implements MigrationInterface {
  name = 'RetentionIndexes1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index signal_outbox_delivered_idx on signal_outbox (delivered_at, id) where delivered_at is not null`);
    await q.query(`create index events_received_idx on events (received_at, id)`);
    await q.query(`create index messages_final_idx on messages (created_at, id) where status in ('sent', 'rejected', 'stored')`);
    await q.query(`create index webhook_calls_final_idx on webhook_calls (created_at, id) where status in ('sent', 'rejected')`);
    await q.query(`create index journey_transitions_at_idx on journey_transitions (at, id) where from_state is not null`);
    await q.query(`create index journey_transitions_workflow_at_idx on journey_transitions (workflow_id, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'journey_transitions_workflow_at_idx',
      'journey_transitions_at_idx',
      'webhook_calls_final_idx',
      'messages_final_idx',
      'events_received_idx',
      'signal_outbox_delivered_idx',
    ]) {
      await q.query(`drop index ${index}`);
    }
  }
}
