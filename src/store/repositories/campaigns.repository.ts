import type { DataSource, EntityManager } from 'typeorm';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface CampaignRow {
  key: string;
  name: string;
  status: CampaignStatus;
  activeVersion: number | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignVersionRow {
  version: number;
  createdAt: string;
  /** When this version first took entries; null for a version never activated. */
  activatedAt: string | null;
  definition: Record<string, unknown>;
}

/** A campaign that routing must know: new entries (active) or running journeys (active, paused). */
export interface RoutableCampaign {
  key: string;
  status: 'active' | 'paused';
  activeVersion: number;
  /** Every version that ever took entries: their journeys may still run and listen. */
  versions: Array<{ version: number; definition: Record<string, unknown> }>;
}

export interface StateCount {
  state: string;
  /** Transitions into the state (every visit). */
  entered: number;
  /** Journeys whose latest transition is into the state. */
  current: number;
}

export interface PoolRef {
  key: string;
  kind: string;
}

type Row = Record<string, unknown>;
// TypeORM answers a bare UPDATE ... RETURNING with [rows, count]; wrapping it in a CTE makes it a SELECT that answers rows.

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

const CAMPAIGN_COLUMNS = `c.key, c.name, c.status, c.active_version, c.created_at, c.updated_at,
  (select max(v.version) from campaign_versions v where v.campaign_key = c.key) as latest_version`;

function toCampaign(r: Row): CampaignRow {
  return {
    key: r.key as string,
    name: r.name as string,
    status: r.status as CampaignStatus,
    activeVersion: (r.active_version as number | null) ?? null,
    latestVersion: r.latest_version as number,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * Campaigns and their immutable versions (definitions stored as submitted).
 * Every write touches the `campaigns` row, whose trigger notifies
 * `kairos_campaigns` in the same transaction (migration SignalOutbox).
 */
export class CampaignsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Creates the campaign as a draft with version 1; false when the key is taken. */
  async create(key: string, name: string, definition: Record<string, unknown>): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const rows: Row[] = await tx.query(
        `insert into campaigns (key, name, status) values ($1, $2, 'draft') on conflict (key) do nothing returning key`,
        [key, name],
      );
      if (rows.length === 0) return false;
      await tx.query(`insert into campaign_versions (campaign_key, version, definition) values ($1, 1, $2::jsonb)`, [key, JSON.stringify(definition)]);
      return true;
    });
  }

  /** Appends the next version; null when the campaign does not exist. */
  async addVersion(key: string, name: string, definition: Record<string, unknown>): Promise<number | null> {
    return this.ds.transaction(async (tx) => {
      // Updating the row first locks it, so concurrent PUTs number their versions one after the other.
      const rows: Row[] = await tx.query(`with u as (update campaigns set name = $2, updated_at = now() where key = $1 returning key) select * from u`, [key, name]);
      if (rows.length === 0) return null;
      return this.insertNextVersion(tx, key, definition);
    });
  }

  async get(key: string): Promise<CampaignRow | null> {
    const rows: Row[] = await this.ds.query(`select ${CAMPAIGN_COLUMNS} from campaigns c where c.key = $1`, [key]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async list(): Promise<CampaignRow[]> {
    const rows: Row[] = await this.ds.query(`select ${CAMPAIGN_COLUMNS} from campaigns c order by c.key`);
    return rows.map(toCampaign);
  }

  async versions(key: string): Promise<CampaignVersionRow[]> {
    const rows: Row[] = await this.ds.query(
      `select version, created_at, activated_at, definition from campaign_versions where campaign_key = $1 order by version`,
      [key],
    );
    return rows.map((r) => ({
      version: r.version as number,
      createdAt: iso(r.created_at),
      activatedAt: r.activated_at ? iso(r.activated_at) : null,
      definition: r.definition as Record<string, unknown>,
    }));
  }

  /** One version's definition as submitted (the journey worker compiles its pinned plan from it). */
  async definition(key: string, version: number): Promise<Record<string, unknown> | null> {
    const rows: Row[] = await this.ds.query(`select definition from campaign_versions where campaign_key = $1 and version = $2`, [key, version]);
    return rows[0] ? (rows[0].definition as Record<string, unknown>) : null;
  }

  /**
   * Moves the campaign to `to` if its status is still one of `from` (so two
   * concurrent changes cannot both pass the service's check); activation also
   * points new entries at `activeVersion` and marks that version as having
   * taken entries. Null when the status had changed meanwhile.
   */
  async changeStatus(key: string, to: CampaignStatus, from: readonly CampaignStatus[], activeVersion?: number): Promise<CampaignRow | null> {
    return this.ds.transaction(async (tx) => {
      const rows: Row[] = await tx.query(
        `with u as (
           update campaigns set status = $2, active_version = coalesce($4, active_version), updated_at = now()
            where key = $1 and status = any($3::text[]) returning key)
         select * from u`,
        [key, to, from, activeVersion ?? null],
      );
      if (rows.length === 0) return null;
      if (activeVersion !== undefined) {
        await tx.query(
          `update campaign_versions set activated_at = coalesce(activated_at, now()) where campaign_key = $1 and version = $2`,
          [key, activeVersion],
        );
      }
      const [row]: Row[] = await tx.query(`select ${CAMPAIGN_COLUMNS} from campaigns c where c.key = $1`, [key]);
      return toCampaign(row);
    });
  }

  /** What the routing index is built from: active and paused campaigns with every version that took entries. */
  async routable(): Promise<RoutableCampaign[]> {
    const rows: Row[] = await this.ds.query(
      `select c.key, c.status, c.active_version, v.version, v.definition
         from campaigns c
         join campaign_versions v on v.campaign_key = c.key and (v.activated_at is not null or v.version = c.active_version)
        where c.status in ('active', 'paused') and c.active_version is not null
        order by c.key, v.version`,
    );
    const byKey = new Map<string, RoutableCampaign>();
    for (const r of rows) {
      const key = r.key as string;
      let campaign = byKey.get(key);
      if (!campaign) {
        campaign = { key, status: r.status as 'active' | 'paused', activeVersion: r.active_version as number, versions: [] };
        byKey.set(key, campaign);
      }
      campaign.versions.push({ version: r.version as number, definition: r.definition as Record<string, unknown> });
    }
    return [...byKey.values()];
  }

  /** Per state: transitions into it, and journeys whose latest transition is into it (the journey log). */
  async stateCounts(key: string): Promise<StateCount[]> {
    const rows: Row[] = await this.ds.query(
      `with entered as (
         select to_state as state, count(*)::int as n from journey_transitions where campaign_key = $1 group by to_state
       ), latest as (
         select distinct on (workflow_id) to_state from journey_transitions where campaign_key = $1 order by workflow_id, at desc, id desc
       ), current as (
         select to_state as state, count(*)::int as n from latest group by to_state
       )
       select coalesce(e.state, c.state) as state, coalesce(e.n, 0) as entered, coalesce(c.n, 0) as current
         from entered e full join current c on c.state = e.state
        order by 1`,
      [key],
    );
    return rows.map((r) => ({ state: r.state as string, entered: r.entered as number, current: r.current as number }));
  }

  /** Journeys ever started in the campaign (distinct workflow ids in the journey log). */
  async journeyCount(key: string): Promise<number> {
    const [row]: Row[] = await this.ds.query(`select count(distinct workflow_id)::int as n from journey_transitions where campaign_key = $1`, [key]);
    return row.n as number;
  }

  /**
   * The reward pools a campaign is compiled against at activation, or
   * undefined while the pools table does not exist yet (then pool references
   * are not checked, as at create time).
   */
  async poolRefs(): Promise<PoolRef[] | undefined> {
    const [{ present }]: Row[] = await this.ds.query(`select to_regclass('reward_pools') is not null as present`);
    if (!present) return undefined;
    const rows: Row[] = await this.ds.query(`select key, kind from reward_pools`);
    return rows.map((r) => ({ key: r.key as string, kind: r.kind as string }));
  }

  /** Stores a definition as a new version and makes it active in one step (test seeding). */
  async saveActive(key: string, definition: Record<string, unknown>): Promise<number> {
    return this.ds.transaction(async (tx) => {
      await tx.query(
        `insert into campaigns (key, name, status) values ($1, $2, 'active')
         on conflict (key) do update set updated_at = now(), status = 'active'`,
        [key, String(definition.name ?? key)],
      );
      const version = await this.insertNextVersion(tx, key, definition);
      await tx.query(`update campaign_versions set activated_at = now() where campaign_key = $1 and version = $2`, [key, version]);
      await tx.query(`update campaigns set active_version = $2 where key = $1`, [key, version]);
      return version;
    });
  }

  private async insertNextVersion(tx: EntityManager, key: string, definition: Record<string, unknown>): Promise<number> {
    const [{ version }]: Array<{ version: number }> = await tx.query(
      `insert into campaign_versions (campaign_key, version, definition)
       select $1, coalesce(max(version), 0) + 1, $2::jsonb from campaign_versions where campaign_key = $1
       returning version`,
      [key, JSON.stringify(definition)],
    );
    return version;
  }
}
