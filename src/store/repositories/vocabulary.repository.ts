import type { DataSource } from 'typeorm';

export interface EventTypeKeys {
  type: string;
  /** Events of this type in the sample. */
  count: number;
  /** Top-level property keys seen on them, sorted; at most KEYS_PER_TYPE. */
  properties: string[];
  /** More keys were seen than listed (or an event had more than KEYS_PER_EVENT, of which the rest were not read). */
  truncated: boolean;
}

/**
 * Bounds on what is read and answered: the events and profiles are written
 * by callers (an ingest key may send events with thousands of keys), and
 * the console's editor asks for the vocabulary each time it opens.
 */
export const KEYS_PER_EVENT = 100;
export const KEYS_PER_TYPE = 200;
export const PROFILE_KEYS = 500;

/** Top-level keys of a jsonb value that should be an object, or none. */
const objectKeys = (column: string) => `jsonb_object_keys(case when jsonb_typeof(${column}) = 'object' then ${column} else '{}'::jsonb end)`;

/**
 * The names conditions can use, read from the data itself: event types and
 * property keys of the latest events (newest first by receipt, through the
 * `(received_at, id)` index, so the scan stops after `sample` rows), and
 * attribute keys of up to `sample` stored profiles (any ones: the table has
 * no index by recency, and a full sort would not be cheap).
 */
export class VocabularyRepository {
  constructor(private readonly ds: DataSource) {}

  async recentEventKeys(sample: number): Promise<EventTypeKeys[]> {
    const rows: Array<{ type: string; count: number; properties: string[] | null; truncated: boolean }> = await this.ds.query(
      `with recent as (
         select id, type, properties from events order by received_at desc, id desc limit $1
       ), counted as (
         select type, count(*)::int as count from recent group by type
       ), event_keys as (
         select r.id, r.type, k.key from recent r
           cross join lateral (select j.key from ${objectKeys('r.properties')} as j(key) limit ${KEYS_PER_EVENT + 1}) k
       ), crowded as (
         select distinct type from event_keys group by id, type having count(*) > ${KEYS_PER_EVENT}
       ), keys as (
         select distinct type, key from event_keys
       )
       select c.type, c.count,
              (array_remove(array_agg(k.key order by k.key), null))[1:${KEYS_PER_TYPE}] as properties,
              count(k.key) > ${KEYS_PER_TYPE} or exists (select 1 from crowded w where w.type = c.type) as truncated
         from counted c left join keys k on k.type = c.type
        group by c.type, c.count
        order by c.count desc, c.type`,
      [sample],
    );
    return rows.map((r) => ({ type: r.type, count: r.count, properties: r.properties ?? [], truncated: r.truncated }));
  }

  async profileAttributeKeys(sample: number): Promise<{ keys: string[]; truncated: boolean }> {
    const rows: Array<{ key: string }> = await this.ds.query(
      `select distinct k.key from (select attributes from user_profiles limit $1) p
         cross join lateral (select j.key from ${objectKeys('p.attributes')} as j(key) limit ${KEYS_PER_EVENT + 1}) k
        order by 1
        limit ${PROFILE_KEYS + 1}`,
      [sample],
    );
    return { keys: rows.slice(0, PROFILE_KEYS).map((r) => r.key), truncated: rows.length > PROFILE_KEYS };
  }
}
