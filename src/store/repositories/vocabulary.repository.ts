import type { DataSource } from 'typeorm';

export interface EventTypeKeys {
  type: string;
  /** Events of this type in the sample. */
  count: number;
  /** Top-level property keys seen on them, sorted. */
  properties: string[];
}

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
    const rows: Array<{ type: string; count: number; properties: string[] | null }> = await this.ds.query(
      `with recent as (
         select type, properties from events order by received_at desc, id desc limit $1
       ), counted as (
         select type, count(*)::int as count from recent group by type
       ), keys as (
         select distinct r.type, k.key from recent r
           cross join lateral jsonb_object_keys(case when jsonb_typeof(r.properties) = 'object' then r.properties else '{}'::jsonb end) as k(key)
       )
       select c.type, c.count, array_remove(array_agg(k.key order by k.key), null) as properties
         from counted c left join keys k on k.type = c.type
        group by c.type, c.count
        order by c.count desc, c.type`,
      [sample],
    );
    return rows.map((r) => ({ type: r.type, count: r.count, properties: r.properties ?? [] }));
  }

  async profileAttributeKeys(sample: number): Promise<string[]> {
    const rows: Array<{ key: string }> = await this.ds.query(
      `select distinct k.key from (select attributes from user_profiles limit $1) p
         cross join lateral jsonb_object_keys(case when jsonb_typeof(p.attributes) = 'object' then p.attributes else '{}'::jsonb end) as k(key)
        order by 1`,
      [sample],
    );
    return rows.map((r) => r.key);
  }
}
