import type { DataSource } from 'typeorm';
import type { JourneyEvent } from '../../domain/event';
import { apiTimeFromExact, exactUtcTimeSql } from '../exact-time';
import type { JsonObject } from '../json';

/** What a resent event can differ in from the one first accepted under its id. */
export type ResentEventField = 'type' | 'userId' | 'occurredAt' | 'properties';

/** An event sent under an id that may already be stored; `occurredAt` only when the sender gave one. */
export interface ResentEvent {
  id: string;
  type: string;
  userId: string;
  occurredAt?: string;
  properties: Record<string, unknown>;
}

/** An event as stored; its times are ISO 8601 in UTC to the microsecond PostgreSQL keeps (apiTimeFromExact), not cut to a Date's millisecond. */
export interface StoredEvent {
  id: string;
  type: string;
  userId: string;
  occurredAt: string;
  receivedAt: string;
  properties: JsonObject;
}

interface EventRow {
  id: string;
  type: string;
  user_id: string;
  /** exactUtcTimeSql's text. */
  occurred_at: string;
  received_at: string;
  properties: JsonObject;
}

const toStoredEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  type: r.type,
  userId: r.user_id,
  occurredAt: apiTimeFromExact(r.occurred_at),
  receivedAt: apiTimeFromExact(r.received_at),
  properties: r.properties,
});

export class EventsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Inserts the events in one round trip; returns the ids that were new.
   * An id already stored is a duplicate and is left untouched.
   */
  async insertNew(events: readonly JourneyEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.ds.query(
      `insert into events (id, type, user_id, occurred_at, properties)
       select e.id, e.type, e.user_id, e.occurred_at, e.properties
         from jsonb_to_recordset($1::jsonb) as e(id text, type text, user_id text, occurred_at timestamptz, properties jsonb)
       on conflict (id) do nothing
       returning id`,
      [JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, user_id: e.userId, occurred_at: e.occurredAt, properties: e.properties })))],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * For each resent event, the fields in which it differs from the event
   * stored under its id (empty: the same event). PostgreSQL compares, so a
   * time is the same instant at its precision whatever offset it was written
   * with, and properties are the same JSON whatever their key order. A time
   * left out of a resend is not compared: it defaulted to the receipt's.
   * One round trip; the answer is in the order of `resent`, and an id not
   * stored gets an empty list.
   */
  async differencesFromStored(resent: readonly ResentEvent[]): Promise<ResentEventField[][]> {
    if (resent.length === 0) return [];
    const rows: Array<{ n: number; differs: ResentEventField[] }> = await this.ds.query(
      `select r.n, array_remove(array[
                case when s.type <> r.type then 'type' end,
                case when s.user_id <> r.user_id then 'userId' end,
                case when r.occurred_at is not null and s.occurred_at <> r.occurred_at then 'occurredAt' end,
                case when s.properties <> r.properties then 'properties' end
              ], null) as differs
         from jsonb_to_recordset($1::jsonb) as r(n int, id text, type text, user_id text, occurred_at timestamptz, properties jsonb)
         join events s on s.id = r.id`,
      [JSON.stringify(resent.map((e, n) => ({ n, id: e.id, type: e.type, user_id: e.userId, occurred_at: e.occurredAt ?? null, properties: e.properties })))],
    );
    const differences = resent.map((): ResentEventField[] => []);
    for (const row of rows) differences[row.n] = row.differs;
    return differences;
  }

  async find(id: string): Promise<StoredEvent | null> {
    const rows: EventRow[] = await this.ds.query(
      `select id, type, user_id, ${exactUtcTimeSql('occurred_at')} as occurred_at, ${exactUtcTimeSql('received_at')} as received_at, properties
         from events where id = $1`,
      [id],
    );
    return rows[0] ? toStoredEvent(rows[0]) : null;
  }
}
