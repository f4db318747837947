import type { DataSource } from 'typeorm';
import type { JourneyEvent } from '../../domain/event';
import type { JsonObject } from '../json';

export interface StoredEvent {
  id: string;
  type: string;
  userId: string;
  occurredAt: Date;
  receivedAt: Date;
  properties: JsonObject;
}

interface EventRow {
  id: string;
  type: string;
  user_id: string;
  occurred_at: Date;
  received_at: Date;
  properties: JsonObject;
}

const toStoredEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  type: r.type,
  userId: r.user_id,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
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

  async find(id: string): Promise<StoredEvent | null> {
    const rows: EventRow[] = await this.ds.query(`select id, type, user_id, occurred_at, received_at, properties from events where id = $1`, [id]);
    return rows[0] ? toStoredEvent(rows[0]) : null;
  }
}
