import type { DataSource } from 'typeorm';
import type { JourneyEvent } from '../../domain/event';

export interface StoredEvent {
  id: string;
  type: string;
  userId: string;
  occurredAt: Date;
  receivedAt: Date;
  properties: Record<string, unknown>;
}

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
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select id, type, user_id, occurred_at, received_at, properties from events where id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      type: r.type as string,
      userId: r.user_id as string,
      occurredAt: r.occurred_at as Date,
      receivedAt: r.received_at as Date,
      properties: r.properties as Record<string, unknown>,
    };
  }
}
