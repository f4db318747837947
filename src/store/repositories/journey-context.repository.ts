import type { DataSource } from 'typeorm';
import { LIMITS } from '../../domain/machine';
import { toEpochMs, toIso } from '../../domain/time';
import { CampaignVersionEntity } from '../entities/campaign-version.entity';
import { UserProfileEntity } from '../entities/user-profile.entity';
import type { JsonObject } from '../json';

export interface PriorEntries {
  count: number;
  /** ISO times of the latest entries, oldest first, for cooldown and frequency. */
  times: string[];
}

/** How many of a user's newest entries into a campaign a journey's start looks through for its own entries taken before: as many ids as a journey remembers seen. */
const LOOKBACK_ENTRIES = LIMITS.seenEventIds;

/** What a journey reads from PostgreSQL to decide: its plan, its user's past entries, the profile. */
/**
 * The schedule end of a campaign's active version (ISO 8601 as written, null
 * for none) and when that version became active (`campaigns.active_since`,
 * the database's clock): what running journeys end by (patch
 * schedule-end-follows-activation), the newest activation winning.
 */
export interface ActiveSchedule {
  campaignVersion: number;
  endsAt: string | null;
  activatedAt: string;
}

interface ActiveScheduleRow {
  active_version: number | null;
  active_since: Date | null;
  active_status: string | null;
  active_ends_at: string | null;
}

/** Reads `c`, a campaigns row (or nothing). */
const ACTIVE_SCHEDULE_COLUMNS = `c.active_version, c.active_since, c.status as active_status,
              (select v.definition -> 'schedule' ->> 'endsAt' from campaign_versions v
                where v.campaign_key = c.key and v.version = c.active_version) as active_ends_at`;

function toActiveSchedule(row: ActiveScheduleRow): ActiveSchedule | undefined {
  if (row.active_version === null || row.active_since === null || (row.active_status !== 'active' && row.active_status !== 'paused')) return undefined;
  // As the compiler reads it (a version that compiled has a readable end): written as one instant for the signal's reader.
  const endsAt = row.active_ends_at === null ? null : toEpochMs(row.active_ends_at);
  if (endsAt !== null && Number.isNaN(endsAt)) return undefined;
  return { campaignVersion: row.active_version, endsAt: endsAt === null ? null : toIso(endsAt), activatedAt: new Date(row.active_since).toISOString() };
}

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
  async priorEntries(campaignKey: string, userId: string, keep: number, excludeKeyPrefix?: string): Promise<PriorEntries & { campaignArchived?: true; activeSchedule?: ActiveSchedule }> {
    const entries = `from journey_entries
          where campaign_key = $1 and user_id = $2
            and ($4::text is null or not starts_with(transition_key, $4::text))
          order by entry_no desc`;
    const rows: Array<{ count: number; times: Date[] | null } & ActiveScheduleRow> = await this.ds.query(
      `select coalesce((select entry_no ${entries} limit 1), 0)::int as count,
              (select array_agg(at order by entry_no) from (select entry_no, at ${entries} limit $3) latest) as times,
              ${ACTIVE_SCHEDULE_COLUMNS}
         from (select 1) one left join campaigns c on c.key = $1`,
      [campaignKey, userId, keep, excludeKeyPrefix ?? null],
    );
    const prior = { count: rows[0]?.count ?? 0, times: (rows[0]?.times ?? []).map((t) => new Date(t).toISOString()) };
    // Asked in the same round trip: a journey that starts after its campaign was archived ends once idle,
    // and one that starts on another version than the active one ends by the active one's schedule.
    const activeSchedule = rows[0] ? toActiveSchedule(rows[0]) : undefined;
    return { ...prior, ...(rows[0]?.active_status === 'archived' ? { campaignArchived: true as const } : {}), ...(activeSchedule ? { activeSchedule } : {}) };
  }

  /** The campaign's active version, its schedule end and when it became active; undefined when none is (a draft, archived). */
  async activeSchedule(campaignKey: string): Promise<ActiveSchedule | undefined> {
    const rows: ActiveScheduleRow[] = await this.ds.query(`select ${ACTIVE_SCHEDULE_COLUMNS} from campaigns c where c.key = $1`, [campaignKey]);
    return rows[0] ? toActiveSchedule(rows[0]) : undefined;
  }

  /**
   * Of `causes` (the journey-log causes of entries a journey's start came
   * with, `<type> <event id>` or `scheduled entry <tick id>`), those an
   * earlier entry of the user into the campaign carries: a start delivery
   * sent again after the journey closed must not enter a new execution
   * (patch seen-events-outlive-run). `excludeKeyPrefix` leaves out the asking
   * execution's own entries, as in priorEntries: a retried first task must
   * still take its own.
   *
   * Walks the primary key back from the newest entry, at most
   * `LOOKBACK_ENTRIES` of them (a journey remembers as many ids seen), and
   * reads each one's log row by its unique key: bounded whatever the user's
   * history. An entry whose log row retention has pruned (its path ended
   * longer ago than the log is kept) is not found; a resend comes within
   * the outbox's retries, long before.
   */
  async entriesTakenBefore(campaignKey: string, userId: string, causes: readonly string[], excludeKeyPrefix?: string): Promise<string[]> {
    if (causes.length === 0) return [];
    const rows: Array<{ cause: string }> = await this.ds.query(
      `select distinct t.cause
         from (select transition_key from journey_entries
                where campaign_key = $1 and user_id = $2
                  and ($4::text is null or not starts_with(transition_key, $4::text))
                order by entry_no desc
                limit $5) j
         join journey_transitions t on t.idempotency_key = j.transition_key
        where t.cause = any($3::text[])`,
      [campaignKey, userId, [...causes], excludeKeyPrefix ?? null, LOOKBACK_ENTRIES],
    );
    return rows.map((r) => r.cause);
  }

  async profile(userId: string): Promise<JsonObject> {
    const found = await this.ds.manager.findOne(UserProfileEntity, { select: { attributes: true }, where: { userId } });
    return found?.attributes ?? {};
  }
}
