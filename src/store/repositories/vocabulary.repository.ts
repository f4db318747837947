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

/**
 * The first KEYS_PER_EVENT top-level keys of a jsonb value that should be an
 * object (none otherwise), as rows `(key, n)`, and one more (n past the
 * bound) that only says there were more: listed, it would make 101. "First"
 * is jsonb's order, the shortest names first (then bytewise), not the order
 * they were written in.
 */
const firstKeys = (column: string) =>
  `(select j.key, j.n from jsonb_object_keys(case when jsonb_typeof(${column}) = 'object' then ${column} else '{}'::jsonb end) with ordinality as j(key, n) limit ${KEYS_PER_EVENT + 1})`;

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
         select type, properties from events order by received_at desc, id desc limit $1
       ), counted as (
         select type, count(*)::int as count from recent group by type
       ), event_keys as (
         select r.type, k.key, k.n from recent r cross join lateral ${firstKeys('r.properties')} k
       ), crowded as (
         select distinct type from event_keys where n > ${KEYS_PER_EVENT}
       ), keys as (
         select distinct type, key from event_keys where n <= ${KEYS_PER_EVENT}
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
    const [row]: Array<{ keys: string[]; crowded: boolean }> = await this.ds.query(
      `with profile_keys as (
         select k.key, k.n from (select attributes from user_profiles limit $1) p cross join lateral ${firstKeys('p.attributes')} k
       ), keys as (
         select distinct key from profile_keys where n <= ${KEYS_PER_EVENT} order by key limit ${PROFILE_KEYS + 1}
       )
       select coalesce((select array_agg(key order by key) from keys), '{}') as keys,
              exists (select 1 from profile_keys where n > ${KEYS_PER_EVENT}) as crowded`,
      [sample],
    );
    return { keys: row.keys.slice(0, PROFILE_KEYS), truncated: row.keys.length > PROFILE_KEYS || row.crowded };
  }
}
