import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { CampaignEntity, type CampaignStatus } from '../entities/campaign.entity';
import { CampaignVersionEntity } from '../entities/campaign-version.entity';
import { RewardPoolEntity } from '../entities/reward-pool.entity';
import { insertInto, updateWhere } from '../entities/shallow-writes';
import type { JsonObject } from '../json';
import { anEndState, notAnEndState } from './end-state-sql';

export type { CampaignStatus };

/** A status change's mark (campaign_temporal_marks): a row of its own, named by its id. */
const MARK_TEMPORAL = `insert into campaign_temporal_marks (campaign_key) values ($1) returning id::text as mark`;

/**
 * A version (`v`, of campaign_versions) that enters by schedule and was ever
 * activated: only such a version can have given its campaign a batch-entry
 * Schedule.
 */
const ACTIVATED_CRON = `v.activated_at is not null and v.definition -> 'entry' ? 'cron'`;

/** What a status change sets, and what undoing it puts back. */
export interface StatusAndVersion {
  status: CampaignStatus;
  activeVersion: number | null;
}

export interface CampaignRow {
  key: string;
  name: string;
  status: CampaignStatus;
  activeVersion: number | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** A stored version without its definition. */
export interface CampaignVersionInfo {
  version: number;
  createdAt: string;
  /** When this version was first activated (could take entries); null for a version never activated. */
  activatedAt: string | null;
  /** Where the canvas drew the nodes; null when never saved. */
  layout: NodeLayout | null;
}

export interface CampaignVersionRow extends CampaignVersionInfo {
  definition: JsonObject;
}

/** State name → canvas position (presentation only, never compiled). */
export type NodeLayout = Record<string, { x: number; y: number }>;

/** What adding a version did: its number, or the latest version when the caller's base is stale (and nothing was stored). */
/** `archived`: the campaign is archived, which is final; nothing was stored. */
/** `replayed`: this very version was stored before from the same base (a retried request); nothing was stored this time. */
export type AddVersionOutcome = { version: number; replayed?: true } | { conflict: { latestVersion: number } } | { archived: true };

/** A campaign that routing must know: new entries (active) or running journeys (active, paused). */
export interface RoutableCampaign {
  key: string;
  status: 'active' | 'paused';
  activeVersion: number;
  /** Every version that ever took entries: their journeys may still run and listen. */
  versions: number[];
}

export interface StateCount {
  state: string;
  /** Transitions into the state (every visit). */
  entered: number;
  /** Journeys with a path in the state now, as the funnel's `current` (0 in a version where it is an end state, and for `(exited)`). */
  current: number;
  /** Journeys that ended there: those of a version in which the state is an end state, and those in `(exited)`. */
  ended: number;
}

export interface PoolRef {
  key: string;
  kind: string;
  /** A credit pool's currency, or null. */
  currency: string | null;
}

/** Rolls back a version whose base is no longer the latest. `replayed`: the latest is this very version, saved from the same base. */
class StaleBase extends Error {
  constructor(
    readonly latestVersion: number,
    readonly replayed = false,
  ) {
    super(`the latest version is ${latestVersion}`);
  }
}

class Archived extends Error {}

function toCampaign(c: CampaignEntity, latestVersion: number): CampaignRow {
  return {
    key: c.key,
    name: c.name,
    status: c.status,
    activeVersion: c.activeVersion,
    latestVersion,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const isRouted = (s: CampaignStatus): s is RoutableCampaign['status'] => s === 'active' || s === 'paused';

const toVersionInfo = (v: CampaignVersionEntity): CampaignVersionInfo => ({
  version: v.version,
  createdAt: v.createdAt.toISOString(),
  activatedAt: v.activatedAt ? v.activatedAt.toISOString() : null,
  layout: v.layout ?? null,
});

const toVersion = (v: CampaignVersionEntity): CampaignVersionRow => ({
  ...toVersionInfo(v),
  definition: v.definition,
});

/**
 * Campaigns and their immutable versions (definitions stored as submitted).
 * Every write touches the `campaigns` row, whose trigger notifies
 * `kairos_campaigns` in the same transaction (migration SignalOutbox).
 */
export class CampaignsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Creates the campaign as a draft with version 1; false when the key is taken. */
  async create(key: string, name: string, definition: JsonObject, layout: NodeLayout | null = null): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const inserted = await insertInto(tx, CampaignEntity, { key, name, status: 'draft' }).orIgnore().returning(['key']).execute();
      if (inserted.raw.length === 0) return false;
      await insertInto(tx, CampaignVersionEntity, { campaignKey: key, version: 1, definition, layout }).execute();
      return true;
    });
  }

  /**
   * Appends the next version; null when the campaign does not exist. With
   * `baseVersion`, only if that is still the latest: the check runs under the
   * campaign's row lock, so of two editors saving from the same version one
   * gets the conflict. A latest version that is the base's next and holds
   * this definition and layout (jsonb equality: key order aside) is this
   * request's own, stored by an earlier send whose answer was lost: a replay,
   * answered with its number, not a conflict.
   */
  async addVersion(key: string, name: string, definition: JsonObject, opts: { layout?: NodeLayout | null; baseVersion?: number } = {}): Promise<AddVersionOutcome | null> {
    return this.ds.transaction(async (tx) => {
      // Updating the row first locks it, so concurrent PUTs number their versions one after the other.
      const { affected } = await tx.update(CampaignEntity, { key }, { name });
      if (!affected) return null;
      // Read under that lock: an archive committed before it is seen, one after it waits for this version.
      const { status } = await tx.findOneOrFail(CampaignEntity, { where: { key }, select: { status: true } });
      if (status === 'archived') throw new Archived();
      if (opts.baseVersion !== undefined) {
        const latestVersion = (await tx.maximum(CampaignVersionEntity, 'version', { campaignKey: key })) ?? 0;
        // Thrown so the transaction rolls back the name written above.
        if (latestVersion !== opts.baseVersion) {
          const replayed = latestVersion === opts.baseVersion + 1 && (await this.holds(tx, key, latestVersion, definition, opts.layout ?? null));
          throw new StaleBase(latestVersion, replayed);
        }
      }
      return { version: await this.insertNextVersion(tx, key, definition, opts.layout ?? null) };
    }).catch((err: unknown) => {
      if (err instanceof StaleBase) return err.replayed ? { version: err.latestVersion, replayed: true as const } : { conflict: { latestVersion: err.latestVersion } };
      if (err instanceof Archived) return { archived: true as const };
      throw err;
    });
  }

  /** Whether the stored version holds this definition and layout, compared as jsonb (key order and number spelling aside). */
  private async holds(tx: EntityManager, key: string, version: number, definition: JsonObject, layout: NodeLayout | null): Promise<boolean> {
    const [row]: Array<{ same: boolean }> = await tx.query(
      `select definition = $3::jsonb and layout is not distinct from $4::jsonb as same from campaign_versions where campaign_key = $1 and version = $2`,
      [key, version, JSON.stringify(definition), layout === null ? null : JSON.stringify(layout)],
    );
    return row?.same ?? false;
  }

  /**
   * Replaces one version's layout (its definition never changes); false when
   * there is no such version. Routing reads no layout, so the campaigns row
   * (and its notification) is left alone.
   */
  async setLayout(key: string, version: number, layout: NodeLayout): Promise<boolean> {
    const { affected } = await updateWhere(this.ds.manager, CampaignVersionEntity, { campaignKey: key, version }, { layout });
    return (affected ?? 0) > 0;
  }

  async get(key: string): Promise<CampaignRow | null> {
    return this.getWith(this.ds.manager, key);
  }

  async list(): Promise<CampaignRow[]> {
    // One snapshot: a version added between the two reads cannot be missing from its campaign.
    return this.ds.transaction('REPEATABLE READ', async (tx) => {
      const campaigns = await tx.find(CampaignEntity, { order: { key: 'ASC' } });
      const latest = await this.latestVersions(tx);
      return campaigns.map((c) => toCampaign(c, latest.get(c.key) ?? 0));
    });
  }

  async versions(key: string): Promise<CampaignVersionRow[]> {
    const versions = await this.ds.manager.find(CampaignVersionEntity, { where: { campaignKey: key }, order: { version: 'ASC' } });
    return versions.map(toVersion);
  }

  /**
   * The versions, by campaign, that have a state of this name: where a
   * journey's JourneyState `held` is a state its paths wait in, not a held
   * step (see HELD_STATE_APART).
   */
  async versionsWithState(name: string): Promise<Map<string, number[]>> {
    const rows: Array<{ campaign_key: string; versions: number[] }> = await this.ds.query(
      `select campaign_key, array_agg(version order by version) as versions
         from campaign_versions where jsonb_typeof(definition -> 'states') = 'object' and (definition -> 'states') ? $1
        group by campaign_key`,
      [name],
    );
    return new Map(rows.map((r) => [r.campaign_key, r.versions.map(Number)]));
  }

  /** Every version without its definition, oldest first: what listing them needs, whatever the definitions weigh. */
  async versionInfos(key: string): Promise<CampaignVersionInfo[]> {
    const versions = await this.ds.manager.find(CampaignVersionEntity, {
      select: { version: true, createdAt: true, activatedAt: true, layout: true },
      where: { campaignKey: key },
      order: { version: 'ASC' },
    });
    return versions.map(toVersionInfo);
  }

  /** One version with its definition; null when the campaign has no such version. */
  async version(key: string, version: number): Promise<CampaignVersionRow | null> {
    const found = await this.ds.manager.findOne(CampaignVersionEntity, { where: { campaignKey: key, version } });
    return found ? toVersion(found) : null;
  }

  /** One version's definition as submitted (the journey worker compiles its pinned plan from it). */
  async definition(key: string, version: number): Promise<JsonObject | null> {
    const found = await this.ds.manager.findOne(CampaignVersionEntity, { select: { definition: true }, where: { campaignKey: key, version } });
    return found?.definition ?? null;
  }

  /**
   * Whether a version of the campaign that enters by schedule (`entry.cron`)
   * was ever activated: only then can it have a batch-entry Schedule in
   * Temporal. A cron version saved and never activated never had one.
   * `activated_at` is set in the activating change's transaction, before its
   * sync creates the Schedule, and kept when a refused activation is undone.
   */
  async hasCronVersion(key: string): Promise<boolean> {
    const [row]: Array<{ found: boolean }> = await this.ds.query(`select exists (select 1 from campaign_versions v where v.campaign_key = $1 and ${ACTIVATED_CRON}) as found`, [key]);
    return row?.found ?? false;
  }

  /**
   * Moves the campaign to `to` if its status is still one of `from` (so two
   * concurrent changes cannot both pass the service's check); activation also
   * points new entries at `activeVersion` and marks that version as having
   * taken entries. With `whileActive` (the active version the caller read,
   * null for none) the change happens only while that version is still the
   * active one. Null when the status (or that version) had changed meanwhile.
   * The change also marks the campaign as owing Temporal a sync (`mark`, its
   * own row, for settleTemporal once Temporal took it; a mark left behind is
   * swept). `before`: the status and active version this change replaced,
   * read under the row's lock (what restoreStatus puts back).
   */
  async changeStatus(
    key: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    activeVersion?: number,
    whileActive?: number | null,
  ): Promise<{ campaign: CampaignRow; mark: string; before: StatusAndVersion } | null> {
    return this.ds.transaction(async (tx) => {
      const [before]: StatusAndVersion[] = await tx.query(`select status, active_version as "activeVersion" from campaigns where key = $1 for update`, [key]);
      if (!before) return null;
      const versionCheck = whileActive === undefined ? {} : { activeVersion: whileActive === null ? IsNull() : whileActive };
      const { affected } = await tx.update(
        CampaignEntity,
        { key, status: In([...from]), ...versionCheck },
        activeVersion === undefined ? { status: to } : { status: to, activeVersion },
      );
      if (!affected) return null;
      if (activeVersion !== undefined) {
        await updateWhere(tx, CampaignVersionEntity, { campaignKey: key, version: activeVersion, activatedAt: IsNull() }, { activatedAt: () => 'now()' });
        // Under the row's lock, by the database's clock: orders what the campaign's journeys are told (schedule-end-follows-activation).
        if (activeVersion !== before.activeVersion) await tx.update(CampaignEntity, { key }, { activeSince: () => 'clock_timestamp()' });
      }
      const [marked]: Array<{ mark: string }> = await tx.query(MARK_TEMPORAL, [key]);
      const campaign = await this.getWith(tx, key);
      return campaign && marked ? { campaign, mark: marked.mark, before } : null;
    });
  }

  /**
   * Puts back the status and active version a change replaced (`restored`),
   * if the campaign is still as that change left it (`expected`): a change
   * Temporal refused for good is undone, and one landed since is kept. The
   * version's activatedAt stays: a tick under way may have entered users on
   * it meanwhile, whose journeys routing must still reach. Null when the
   * campaign had changed.
   */
  async restoreStatus(key: string, expected: StatusAndVersion, restored: StatusAndVersion): Promise<CampaignRow | null> {
    return this.ds.transaction(async (tx) => {
      const { affected } = await tx.update(
        CampaignEntity,
        { key, status: expected.status, activeVersion: expected.activeVersion === null ? IsNull() : expected.activeVersion },
        {
          status: restored.status,
          activeVersion: restored.activeVersion,
          ...(restored.activeVersion !== expected.activeVersion ? { activeSince: () => 'clock_timestamp()' } : {}),
        },
      );
      return affected ? this.getWith(tx, key) : null;
    });
  }

  /**
   * Keys of campaigns that may have a batch-entry Schedule (a version with
   * `entry.cron` that was ever activated, as hasCronVersion; a draft never
   * was), after `afterKey` in key order: the reconcile pass pages through them.
   */
  async withCronVersionAfter(afterKey: string | null, limit: number): Promise<string[]> {
    const rows: Array<{ key: string }> = await this.ds.query(
      `select c.key from campaigns c
        where c.status <> 'draft' and c.key > $1
          and exists (select 1 from campaign_versions v where v.campaign_key = c.key and ${ACTIVATED_CRON})
        order by c.key limit $2`,
      [afterKey ?? '', limit],
    );
    return rows.map((r) => r.key);
  }

  /** Removes this change's mark: Temporal took it (a later change's mark is its own, and stays). */
  async settleTemporal(key: string, mark: string): Promise<void> {
    await this.ds.query(`delete from campaign_temporal_marks where campaign_key = $1 and id = $2`, [key, mark]);
  }

  /**
   * Removes the campaign's marks up to `upTo` (those of the changes before a
   * read whose status Temporal was then brought in line with) that are at
   * least `olderThanMs` old: a younger one's request may still be syncing,
   * and settles it itself.
   */
  async settleTemporalUpTo(key: string, upTo: string, olderThanMs: number): Promise<void> {
    await this.ds.query(
      `delete from campaign_temporal_marks
        where campaign_key = $1 and id <= $2 and marked_at <= clock_timestamp() - $3 * interval '1 millisecond'`,
      [key, upTo, olderThanMs],
    );
  }

  /**
   * Up to `limit` campaigns with a mark at least `olderThanMs` old: their
   * Temporal side may still not match their status. First those not in
   * `tried` (oldest mark first), then those of `tried` in its order (the
   * caller's attempts, the longest ago first): a campaign Temporal keeps
   * refusing goes behind the others once tried, so however many there are,
   * every marked campaign gets its turn.
   */
  async unsettledTemporal(olderThanMs: number, limit: number, tried: readonly string[] = []): Promise<string[]> {
    const rows: Array<{ key: string }> = await this.ds.query(
      `select m.campaign_key as key from campaign_temporal_marks m
         left join unnest($3::text[]) with ordinality as t(key, turn) on t.key = m.campaign_key
        where m.marked_at <= clock_timestamp() - $1 * interval '1 millisecond'
        group by m.campaign_key order by min(t.turn) nulls first, min(m.id) limit $2`,
      [olderThanMs, limit, tried],
    );
    return rows.map((r) => r.key);
  }

  /**
   * How many campaigns have a mark at least `olderThanMs` old (whether a
   * sweep reached them or not), and which of `among` do.
   */
  async countUnsettledTemporal(olderThanMs: number, among: readonly string[] = []): Promise<{ count: number; among: string[] }> {
    const [row]: Array<{ count: number; among: string[] }> = await this.ds.query(
      `select count(distinct campaign_key)::int as count,
              coalesce(array_agg(distinct campaign_key) filter (where campaign_key = any($2::text[])), '{}') as among
         from campaign_temporal_marks where marked_at <= clock_timestamp() - $1 * interval '1 millisecond'`,
      [olderThanMs, among],
    );
    return { count: row?.count ?? 0, among: row?.among ?? [] };
  }

  /** The campaign and its newest mark (null when none), read together; null when there is no such campaign. */
  async withTemporalMark(key: string): Promise<{ campaign: CampaignRow; lastMark: string | null } | null> {
    return this.ds.transaction('REPEATABLE READ', async (tx) => {
      const campaign = await this.getWith(tx, key);
      if (!campaign) return null;
      const [marked]: Array<{ mark: string | null }> = await tx.query(`select max(id)::text as mark from campaign_temporal_marks where campaign_key = $1`, [key]);
      return { campaign, lastMark: marked?.mark ?? null };
    });
  }

  /** What the routing index is built from: active and paused campaigns with every version that took entries. */
  async routable(): Promise<RoutableCampaign[]> {
    // Numbers only: the routing index reloads on every change and every minute, and keeps the plans of versions it has seen.
    const rows: Array<{ key: string; status: CampaignStatus; activeVersion: number; version: number }> = await this.ds.query(
      `select c.key, c.status, c.active_version as "activeVersion", v.version
         from campaign_versions v join campaigns c on c.key = v.campaign_key
        where c.status in ('active', 'paused') and c.active_version is not null
          and (v.activated_at is not null or v.version = c.active_version)
        order by c.key, v.version`,
    );
    const byKey = new Map<string, RoutableCampaign>();
    for (const row of rows) {
      // Always so (the query's conditions); checked so that the types say it too.
      if (!isRouted(row.status)) continue;
      let campaign = byKey.get(row.key);
      if (!campaign) {
        campaign = { key: row.key, status: row.status, activeVersion: row.activeVersion, versions: [] };
        byKey.set(row.key, campaign);
      }
      campaign.versions.push(row.version);
    }
    return [...byKey.values()];
  }

  /** The definitions of these versions in one statement, by `key@version`; a version that does not exist is absent. */
  async definitions(versions: ReadonlyArray<{ key: string; version: number }>): Promise<Map<string, JsonObject>> {
    if (versions.length === 0) return new Map();
    const rows: Array<{ key: string; version: number; definition: JsonObject }> = await this.ds.query(
      `select v.campaign_key as key, v.version, v.definition_as_sent as definition
         from campaign_versions v join unnest($1::text[], $2::int[]) as wanted(key, version)
           on v.campaign_key = wanted.key and v.version = wanted.version`,
      [versions.map((v) => v.key), versions.map((v) => v.version)],
    );
    return new Map(rows.map((r) => [`${r.key}@${r.version}`, r.definition]));
  }

  /**
   * Per state, over all versions: transitions into it, journeys with a path
   * there now (the funnel's `current`: each version leaving out its own end
   * states) and journeys that ended there (where their version makes it an
   * end state, and `(exited)`), from the funnel's counters (migration
   * 1765200000000). A state that is an end in one version and a waiting
   * state in another counts each journey by its own version's meaning.
   */
  async stateCounts(key: string): Promise<StateCount[]> {
    // Columns named and typed as StateCount's: counts as float8, exact to 2^53 and read as numbers (an int cast fails past 2^31).
    // The counters are summed per version and state first, so each version's definition is read once per state.
    const rows: StateCount[] = await this.ds.query(
      `with counted as (
         select campaign_version, to_state,
                sum(n) filter (where kind = 'edge') as edges,
                sum(n) filter (where kind = 'current') as here
           from funnel_counters where campaign_key = $1 and kind in ('edge', 'current')
          group by campaign_version, to_state
       ), roled as (
         select c.to_state, c.edges, c.here, c.to_state = '(exited)' or ${anEndState('v', 'c.to_state')} as ends
           from counted c left join campaign_versions v on v.campaign_key = $1 and v.version = c.campaign_version
       )
       select to_state as state,
              coalesce(sum(edges), 0)::float8 as entered,
              greatest(coalesce(sum(here) filter (where not ends), 0), 0)::float8 as current,
              greatest(coalesce(sum(here) filter (where ends), 0), 0)::float8 as ended
         from roled
        group by to_state
       having sum(edges) > 0 or sum(here) > 0
        order by 1`,
      [key],
    );
    return rows;
  }

  /**
   * Entries per campaign (re-entries included), every campaign at once: the
   * funnel's `(entry)` edges, a few counter rows per campaign where counting
   * journey_entries would read a row per entry ever made.
   */
  async entryCounts(): Promise<Map<string, number>> {
    const rows: Array<{ key: string; n: number }> = await this.ds.query(
      `select campaign_key as key, sum(n)::float8 as n from funnel_counters where kind = 'edge' and from_state = '(entry)' group by 1`,
    );
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  /**
   * Per campaign, journeys with a path in one of its states now, summed over
   * states and versions (the funnel's `current`, end states and `(exited)`
   * left out): a few counter rows per campaign, whatever it ran. A journey
   * with paths in two states at once counts in both.
   */
  async currentCounts(): Promise<Map<string, number>> {
    const rows: Array<{ key: string; n: number }> = await this.ds.query(
      `select c.campaign_key as key, greatest(sum(c.n), 0)::float8 as n
         from funnel_counters c join campaign_versions v on v.campaign_key = c.campaign_key and v.version = c.campaign_version
        where c.kind = 'current' and c.to_state <> '(exited)' and ${notAnEndState('v', 'c.to_state')}
        group by 1`,
    );
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  /** Journeys ever started in the campaign: users who entered it (the funnel's `(entry)` visits over all versions). */
  async journeyCount(key: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.ds.query(
      `select coalesce(sum(n), 0)::float8 as n from funnel_counters
        where campaign_key = $1 and campaign_version = 0 and kind = 'entered' and to_state = '(entry)'`,
      [key],
    );
    return row.n;
  }

  /**
   * The reward pools a campaign is compiled against at activation, or
   * undefined while the pools table does not exist yet (then pool references
   * are not checked, as at create time).
   */
  async poolRefs(): Promise<PoolRef[] | undefined> {
    const [{ present }]: Array<{ present: boolean }> = await this.ds.query(`select to_regclass('reward_pools') is not null as present`);
    if (!present) return undefined;
    const pools = await this.ds.manager.find(RewardPoolEntity, { select: { key: true, kind: true, currency: true } });
    return pools.map((p) => ({ key: p.key, kind: p.kind, currency: p.currency }));
  }

  /** Stores a definition as a new version and makes it active in one step (test seeding). */
  async saveActive(key: string, definition: JsonObject): Promise<number> {
    return this.ds.transaction(async (tx) => {
      // A definition whose name is not text does not compile; seeding then names the campaign by its key.
      const name = typeof definition.name === 'string' ? definition.name : key;
      await insertInto(tx, CampaignEntity, { key, name, status: 'active' }).orUpdate(['status', 'updated_at'], ['key']).execute();
      const version = await this.insertNextVersion(tx, key, definition);
      await updateWhere(tx, CampaignVersionEntity, { campaignKey: key, version }, { activatedAt: () => 'now()' });
      await tx.update(CampaignEntity, { key }, { activeVersion: version, activeSince: () => 'clock_timestamp()' });
      return version;
    });
  }

  private async getWith(manager: EntityManager, key: string): Promise<CampaignRow | null> {
    const campaign = await manager.findOneBy(CampaignEntity, { key });
    if (!campaign) return null;
    const latest = await manager.maximum(CampaignVersionEntity, 'version', { campaignKey: key });
    return toCampaign(campaign, latest ?? 0);
  }

  private async latestVersions(manager: EntityManager): Promise<Map<string, number>> {
    const rows = await manager
      .createQueryBuilder(CampaignVersionEntity, 'v')
      .select('v.campaignKey', 'key')
      .addSelect('max(v.version)::int', 'latest')
      .groupBy('v.campaignKey')
      .getRawMany<{ key: string; latest: number }>();
    return new Map(rows.map((r) => [r.key, r.latest]));
  }

  /** The caller holds the campaign's row lock, so no other version can take the number meanwhile. */
  private async insertNextVersion(tx: EntityManager, key: string, definition: JsonObject, layout: NodeLayout | null = null): Promise<number> {
    const version = ((await tx.maximum(CampaignVersionEntity, 'version', { campaignKey: key })) ?? 0) + 1;
    await insertInto(tx, CampaignVersionEntity, { campaignKey: key, version, definition, layout }).execute();
    return version;
  }
}
