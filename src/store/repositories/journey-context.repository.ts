import type { DataSource } from 'typeorm';
import { CampaignVersionEntity } from '../entities/campaign-version.entity';
import { UserProfileEntity } from '../entities/user-profile.entity';
import type { JsonObject } from '../json';

export interface PriorEntries {
  count: number;
  /** ISO times of the latest entries, oldest first, for cooldown and frequency. */
  times: string[];
}

/** What a journey reads from PostgreSQL to decide: its plan, its user's past entries, the profile. */
export class JourneyContextRepository {
  constructor(private readonly ds: DataSource) {}

  async definition(campaignKey: string, version: number): Promise<JsonObject | null> {
    const found = await this.ds.manager.findOne(CampaignVersionEntity, { select: { definition: true }, where: { campaignKey, version } });
    return found?.definition ?? null;
  }

  /**
   * The user's entries into the campaign so far, from journey_entries (never
   * pruned, one row per entry; the count is the last entry's number).
   * `excludeKeyPrefix` leaves out the entries of the asking journey execution
   * itself: a workflow task that failed after its log write is retried, and
   * must not count its own entry as a prior one.
   *
   * Each part walks the primary key back from the newest entry and stops at
   * what it needs (the last entry, the latest `keep`): a journey start reads
   * as much for a user with thousands of entries as for one with a few. (A
   * common table expression read twice is materialised: every entry.)
   */
  async priorEntries(campaignKey: string, userId: string, keep: number, excludeKeyPrefix?: string): Promise<PriorEntries & { campaignArchived?: true }> {
    const entries = `from journey_entries
          where campaign_key = $1 and user_id = $2
            and ($4::text is null or not starts_with(transition_key, $4::text))
          order by entry_no desc`;
    const rows: Array<{ count: number; times: Date[] | null; archived: boolean | null }> = await this.ds.query(
      `select coalesce((select entry_no ${entries} limit 1), 0)::int as count,
              (select array_agg(at order by entry_no) from (select entry_no, at ${entries} limit $3) latest) as times,
              (select status = 'archived' from campaigns where key = $1) as archived`,
      [campaignKey, userId, keep, excludeKeyPrefix ?? null],
    );
    const prior = { count: rows[0]?.count ?? 0, times: (rows[0]?.times ?? []).map((t) => new Date(t).toISOString()) };
    // Asked in the same round trip: a journey that starts after its campaign was archived ends once idle.
    return rows[0]?.archived ? { ...prior, campaignArchived: true } : prior;
  }

  async profile(userId: string): Promise<JsonObject> {
    const found = await this.ds.manager.findOne(UserProfileEntity, { select: { attributes: true }, where: { userId } });
    return found?.attributes ?? {};
  }
}
