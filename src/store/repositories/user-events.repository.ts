import type { DataSource } from 'typeorm';
import { apiTimeFromExact, exactUtcTimeSql } from '../exact-time';

export interface UserEventRow {
  id: string;
  type: string;
  /** This and receivedAt to the microsecond stored (apiTimeFromExact), as GET /v1/events/:id shows them. */
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

/** How much of the user's events one page may hold: `rows` events at most, and their properties `bytes` at most. */
export interface UserEventsPageSize {
  rows: number;
  /** The properties' weight as PostgreSQL writes them as text; the first event of a page is kept whatever it weighs. */
  bytes: number;
}

/**
 * A user's events newest first (by receipt), paged by keyset on (received_at, id): a walk shows no event twice, and
 * every event stored before it began. Not every one stored while it goes on: received_at is the writing
 * transaction's start (the column's now()), not its commit, so an event whose transaction started before the last
 * event of a page read and committed after it (a batch waiting on a lock) is behind the walk's cursor already: it
 * is on a fresh first page, not on the later pages of that walk.
 * A page stops before the event that would take its properties past `size.bytes`, so a page of large events is
 * shorter than `size.rows` rather than tens of MB; `next` then resumes after the last event kept.
 */
export class UserEventsRepository {
  constructor(private readonly ds: DataSource) {}

  async page(userId: string, size: UserEventsPageSize, after: UserEventsCursor | null): Promise<{ events: UserEventRow[]; next: UserEventsCursor | null }> {
    // The page's rows (one more, to know whether more come) are weighed in order; the properties of a row past
    // the budget are not sent, only that it is there. `fits` holds for a first run of rows: the total only grows.
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select id, type, occurred_exact, cancelled_at, cancel_reason, received_exact, fits,
              case when fits then properties end as properties
         from (select page.*,
                      row_number() over newest = 1 or sum(octet_length(properties::text)) over newest <= $5 as fits
                 from (select id, type, received_at, properties, cancelled_at, cancel_reason,
                              ${exactUtcTimeSql('occurred_at')} as occurred_exact, ${exactUtcTimeSql('received_at')} as received_exact
                         from events
                        where user_id = $1 and ($2::timestamptz is null or (received_at, id) < ($2::timestamptz, $3::text))
                        order by received_at desc, id desc
                        limit $4) page
               window newest as (order by received_at desc, id desc)) weighed
        order by received_at desc, id desc`,
      [userId, after?.receivedAt ?? null, after?.id ?? '', size.rows + 1, size.bytes],
    );
    const kept = rows.slice(0, size.rows).filter((r) => r.fits === true);
    const events = kept.map((r) => ({
      id: r.id as string,
      type: r.type as string,
      occurredAt: apiTimeFromExact(r.occurred_exact as string),
      receivedAt: apiTimeFromExact(r.received_exact as string),
      properties: r.properties as Record<string, unknown>,
      cancelledAt: r.cancelled_at ? (r.cancelled_at as Date).toISOString() : null,
      cancelReason: (r.cancel_reason as string | null) ?? null,
    }));
    const last = kept.at(-1);
    return { events, next: rows.length > kept.length && last ? { receivedAt: last.received_exact as string, id: last.id as string } : null };
  }
}
