import type { DataSource } from 'typeorm';

export interface UserEventRow {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  properties: Record<string, unknown>;
  cancelledAt: string | null;
  cancelReason: string | null;
}

/** Where a page ends: the last row's receipt time (microseconds, as stored) and id. */
export interface UserEventsCursor {
  receivedAt: string;
  id: string;
}

/** A user's events newest first (by receipt), paged by keyset on (received_at, id): stable while events arrive. */
export class UserEventsRepository {
  constructor(private readonly ds: DataSource) {}

  async page(userId: string, limit: number, after: UserEventsCursor | null): Promise<{ events: UserEventRow[]; next: UserEventsCursor | null }> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select id, type, occurred_at, received_at, properties, cancelled_at, cancel_reason,
              to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received_exact
         from events
        where user_id = $1 and ($2::timestamptz is null or (received_at, id) < ($2::timestamptz, $3::text))
        order by received_at desc, id desc
        limit $4`,
      [userId, after?.receivedAt ?? null, after?.id ?? '', limit + 1],
    );
    const more = rows.length > limit;
    const events = rows.slice(0, limit).map((r) => ({
      id: r.id as string,
      type: r.type as string,
      occurredAt: (r.occurred_at as Date).toISOString(),
      receivedAt: (r.received_at as Date).toISOString(),
      properties: r.properties as Record<string, unknown>,
      cancelledAt: r.cancelled_at ? (r.cancelled_at as Date).toISOString() : null,
      cancelReason: (r.cancel_reason as string | null) ?? null,
    }));
    const last = rows[limit - 1];
    return { events, next: more && last ? { receivedAt: last.received_exact as string, id: last.id as string } : null };
  }
}
