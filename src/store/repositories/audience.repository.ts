import type { DataSource } from 'typeorm';
import { sqlState } from '../sql-state';
import { CampaignEntity } from '../entities/campaign.entity';
import type { JsonObject } from '../json';

/** How far from a tick's time an entry may stand for the same local time: more than any clock change moves it (Lord Howe's 30 minutes, most an hour). */
export const TICK_NEIGHBOURHOOD_MS = 3 * 60 * 60_000;

export interface ProfileRow {
  userId: string;
  attributes: JsonObject;
}

/** Stored profiles in user-id order, for batch entry to page through. */
export class AudienceRepository {
  /** `countTimeoutMs`: how long an exact count of the profiles may take before the estimate stands in for it. */
  constructor(
    private readonly ds: DataSource,
    private readonly countTimeoutMs = 5_000,
  ) {}

  /**
   * How many profiles there were at `asOf` (all with null), for a tick's
   * progress only, as `page` takes them: exact when
   * PostgreSQL counts them within countTimeoutMs, else its own estimate
   * (the planner's row count), so a table too big to count in time does
   * not hold the tick back.
   */
  async count(asOf: Date | null): Promise<number> {
    return this.ds.transaction(async (m) => {
      await m.query(`set local statement_timeout = ${Math.max(1, Math.floor(this.countTimeoutMs))}`);
      await m.query('savepoint exact_count');
      try {
        return (await m.query(`select count(*)::bigint as n from user_profiles where $1::timestamptz is null or created_at <= $1`, [asOf]))[0].n as number;
      } catch (err) {
        // 57014: query_canceled, here by the statement timeout above.
        if (sqlState(err) !== '57014') throw err;
        await m.query('rollback to savepoint exact_count');
        const [{ n }] = await m.query(`select greatest(reltuples, 0)::bigint as n from pg_class where oid = 'user_profiles'::regclass`);
        return n as number;
      }
    }).then(Number);
  }

  /**
   * Of `userIds`, from their entries into the campaign (journey_entries):
   * `spent`, those whose entries reached `maxEntries` (their journey would
   * refuse another, after starting a run only to say so), and `nearTick`,
   * the times of their entries within TICK_NEIGHBOURHOOD_MS of the tick's
   * time: the caller tells which stand for this tick's local time (a
   * journey stores a scheduled entry at its tick's time, patch
   * entry-row-at-tick; a clock change runs one local time twice, an hour
   * apart).
   *
   * Only each user's latest `depth` entries are read (walking the primary key
   * back from the newest): the cost of a page follows its size, not how many
   * ticks the campaign has had. The newest entry holds the count (`spent`);
   * the caller makes `depth` cover every entry that can have come after an
   * entry near the tick (priorEntriesDepth).
   */
  async priorEntries(
    campaignKey: string,
    userIds: readonly string[],
    maxEntries: number,
    tickAt: Date,
    depth: number,
  ): Promise<{ spent: Set<string>; nearTick: Map<string, Date[]> }> {
    if (userIds.length === 0) return { spent: new Set(), nearTick: new Map() };
    const near = `e.at between $4::timestamptz - $5::float8 * interval '1 millisecond' and $4::timestamptz + $5::float8 * interval '1 millisecond'`;
    const rows: Array<{ user_id: string; spent: boolean; near_tick: Date[] }> = await this.ds.query(
      `select u.user_id, max(e.entry_no) >= $3 as spent, coalesce(array_agg(e.at) filter (where ${near}), '{}') as near_tick
         from unnest($2::text[]) as u(user_id)
         cross join lateral (
           select j.entry_no, j.at from journey_entries j
            where j.campaign_key = $1 and j.user_id = u.user_id
            order by j.entry_no desc
            limit $6) e
        group by u.user_id having max(e.entry_no) >= $3 or bool_or(${near})`,
      [campaignKey, userIds, maxEntries, tickAt, TICK_NEIGHBOURHOOD_MS, Math.max(1, Math.trunc(depth))],
    );
    return {
      spent: new Set(rows.filter((r) => r.spent).map((r) => r.user_id)),
      nearTick: new Map(rows.filter((r) => r.near_tick.length > 0).map((r) => [r.user_id, r.near_tick])),
    };
  }

  /**
   * The version a tick of `campaignKey` enters users at now, the active one
   * (a version activated since the tick began takes the rest of it), or why
   * it must enter nobody more: the campaign was paused or archived.
   */
  async entryVersion(campaignKey: string): Promise<{ version: number } | { closed: string }> {
    const c = await this.ds.manager.findOne(CampaignEntity, { select: { status: true, activeVersion: true }, where: { key: campaignKey } });
    if (!c) return { closed: 'the campaign no longer exists' };
    if (c.status !== 'active' || c.activeVersion === null) return { closed: `the campaign is ${c.status}` };
    return { version: c.activeVersion };
  }

  /**
   * The next `limit` profiles after `afterUserId`, in user-id order, that
   * existed at `asOf` (the tick's time): one created since waits for the
   * next tick, so a tick over time-ordered ids (sign-ups landing after the
   * cursor while it pages) still ends. Of each profile only the attributes
   * named in `keys` are loaded (what the audience reads): a profile may
   * weigh 256 KiB, and a page holds hundreds.
   */
  async page(afterUserId: string | null, limit: number, asOf: Date, keys: readonly string[]): Promise<ProfileRow[]> {
    const rows: Array<{ user_id: string; attributes: JsonObject }> = await this.ds.query(
      `select user_id,
              (select coalesce(jsonb_object_agg(k, p.attributes -> k), '{}'::jsonb) from unnest($4::text[]) k where p.attributes ? k) as attributes
         from user_profiles p
        where ${afterUserId === null ? '$1::text is null' : 'user_id > $1'} and created_at <= $2
        order by user_id
        limit $3`,
      [afterUserId, asOf, limit, keys],
    );
    return rows.map((r) => ({ userId: r.user_id, attributes: r.attributes }));
  }
}
