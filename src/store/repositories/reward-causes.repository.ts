import type { DataSource } from 'typeorm';

/** Which rewards an event helped cause (rewards.caused_by), for data-driven compensation. */
export class RewardCausesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Keys of rewards caused (in part) by `eventId` that a reclaim could still act on. */
  async reclaimableKeys(eventId: string): Promise<string[]> {
    const rows: Array<{ idempotency_key: string }> = await this.ds.query(
      `select idempotency_key from rewards where caused_by @> array[$1]::text[] and status in ('issued', 'redeemed') order by created_at`,
      [eventId],
    );
    return rows.map((r) => r.idempotency_key);
  }
}
