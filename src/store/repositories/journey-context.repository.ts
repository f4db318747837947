import type { DataSource } from 'typeorm';

export interface PriorEntries {
  count: number;
  /** ISO times of the latest entries, oldest first, for cooldown and frequency. */
  times: string[];
}

/** What a journey reads from PostgreSQL to decide: its plan, its user's past entries, the profile. */
export class JourneyContextRepository {
  constructor(private readonly ds: DataSource) {}

  async definition(campaignKey: string, version: number): Promise<Record<string, unknown> | null> {
    const rows: Array<{ definition: Record<string, unknown> }> = await this.ds.query(
      `select definition from campaign_versions where campaign_key = $1 and version = $2`,
      [campaignKey, version],
    );
    return rows[0]?.definition ?? null;
  }

  /**
   * Entries are the journey log's rows with no `from` state. A journey that
   * completed and is started again by a later event learns its caps from here.
   */
  /**
   * Entries into the campaign so far (journey-log rows from no state).
   * `excludeKeyPrefix` leaves out the rows of the asking journey execution
   * itself: a workflow task that failed after its log write is retried, and
   * must not count its own entry as a prior one.
   */
  async priorEntries(campaignKey: string, userId: string, keep: number, excludeKeyPrefix?: string): Promise<PriorEntries> {
    const rows: Array<{ count: number; times: Date[] | null }> = await this.ds.query(
      `with entries as (
         select at from journey_transitions
          where campaign_key = $1 and user_id = $2 and from_state is null
            and ($4::text is null or not starts_with(idempotency_key, $4::text)))
       select (select count(*)::int from entries) as count,
              (select array_agg(at order by at) from (select at from entries order by at desc limit $3) latest) as times`,
      [campaignKey, userId, keep, excludeKeyPrefix ?? null],
    );
    return { count: rows[0]?.count ?? 0, times: (rows[0]?.times ?? []).map((t) => new Date(t).toISOString()) };
  }

  async profile(userId: string): Promise<Record<string, unknown>> {
    const rows: Array<{ attributes: Record<string, unknown> }> = await this.ds.query(
      `select attributes from user_profiles where user_id = $1`,
      [userId],
    );
    return rows[0]?.attributes ?? {};
  }
}
