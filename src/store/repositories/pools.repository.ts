import type { DataSource, EntityManager } from 'typeorm';
import type { RewardPool } from '../../domain/campaign/schema';
import { RewardPoolEntity } from '../entities/reward-pool.entity';
import { insertInto } from '../entities/shallow-writes';
import { storedJson } from '../json';
import { BUDGET_SHARDS } from '../migrations/rewards-ledger/issue-reward.sql';
import { generateCodes, parseCodePattern, randomCodeKey } from '../ledger/code-pattern';
import { budgetShare } from './budget-share';
import { recentTopUps, type TopUpRecord } from './pool-top-ups.repository';
import { CODE_BATCH, insertCouponCodes } from './coupon-codes';

export interface PoolView {
  key: string;
  kind: 'coupon' | 'points' | 'credit';
  name: string | null;
  currency: string | null;
  perUserLimit: number | null;
  validFor: string | null;
  /** Null: unlimited. For coupon pools budget, used and left count coupons. */
  budget: number | null;
  used: number;
  left: number | null;
  /** Coupon pools only. */
  codes?: { total: number; issued: number; left: number; voided: number };
  createdAt: string;
}

export interface PoolBudget {
  key: string;
  budget: number;
  used: number;
  /** Subtracted in numeric, not floating point. */
  left: number;
}

/** What a coupon pool holds in codes: `left` is what it can still hand out, counted as a pool's view counts `codes.left`. */
export interface PoolCodes {
  key: string;
  total: number;
  left: number;
}

/** The one mapper to a pool's view. */
function toPoolView(pool: RewardPoolEntity, { used, left }: { used: number; left: number | null }, voided: number): PoolView {
  const validFor = pool.definition.validFor;
  const view: PoolView = {
    key: pool.key,
    kind: pool.kind,
    name: pool.name,
    currency: pool.currency,
    perUserLimit: pool.perUserLimit,
    // As the pool was submitted (the interval column would spell it PostgreSQL's way).
    validFor: typeof validFor === 'string' ? validFor : null,
    budget: pool.budget,
    used,
    left: pool.budget === null ? null : left,
    createdAt: pool.createdAt.toISOString(),
  };
  if (pool.kind === 'coupon') {
    // Every issued, unreclaimed coupon holds exactly one code and counts 1 in "used" (see the issue function);
    // a reclaimed one's code is void, never handed out again.
    view.codes = { total: pool.codesTotal, issued: used, left: pool.codesTotal - used - voided, voided };
  }
  return view;
}

/** The pool as submitted, but an imported code list: how many codes it held. */
export function definitionToStore(pool: RewardPool): Omit<RewardPool, 'codes'> & { codesImported?: number } {
  const { codes, ...rest } = pool;
  return codes ? { ...rest, codesImported: codes.length } : rest;
}

export class PoolsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Creates the pool and its codes in one transaction. Returns null when the
   * key exists (nothing is changed). The caller has validated codes and pattern.
   * The view answered is read in that transaction, so its commit is the last
   * step: a created pool is never answered with a failed read (a 503 whose
   * retry would find the key taken, 409).
   */
  async create(pool: RewardPool): Promise<PoolView | null> {
    return this.ds.transaction(async (tx) => {
      const inserted = await insertInto(tx, RewardPoolEntity, {
        key: pool.key,
        kind: pool.kind,
        name: pool.name ?? null,
        budget: pool.budget ?? null,
        perUserLimit: pool.perUserLimit ?? null,
        // PostgreSQL reads an ISO 8601 duration, with a dot for a decimal point.
        validFor: pool.validFor?.replace(',', '.') ?? null,
        currency: pool.currency ?? null,
        // Imported codes go to coupon_codes alone: the definition is read with every view of the pool.
        definition: storedJson(definitionToStore(pool)),
      })
        .orIgnore()
        .returning(['key'])
        .execute();
      if (inserted.raw.length === 0) return null;
      await tx.query(
        `insert into pool_budget_shards (pool_key, shard, budget)
         select $1, s, case when $2::numeric is null then null else ${budgetShare('$2::numeric', '$3', 's')} end
           from generate_series(0, $3 - 1) as s`,
        [pool.key, pool.budget ?? null, BUDGET_SHARDS],
      );
      if (pool.kind === 'coupon') await this.insertCodes(tx, pool);
      return this.viewIn(tx, pool.key);
    });
  }

  /** Codes arrive in batches of thousands, one array parameter per batch (a new pool holds none yet). */
  private async insertCodes(tx: EntityManager, pool: RewardPool): Promise<void> {
    let seq = 0;
    const insert = async (codes: string[]) => {
      seq += await insertCouponCodes(tx, pool.key, seq, codes, false);
    };
    if (pool.codes) {
      for (let i = 0; i < pool.codes.length; i += CODE_BATCH) await insert(pool.codes.slice(i, i + CODE_BATCH));
    } else if (pool.generate) {
      const pattern = parseCodePattern(pool.generate.pattern);
      for (const batch of generateCodes(pattern, pool.generate.count, randomCodeKey(), CODE_BATCH)) await insert(batch);
    }
    await tx.update(RewardPoolEntity, { key: pool.key }, { codesTotal: seq });
  }

  /** One snapshot: the pool, what its shards used, and (coupons) its void codes. */
  async find(key: string): Promise<PoolView | null> {
    return this.ds.transaction('REPEATABLE READ', (tx) => this.viewIn(tx, key));
  }

  /**
   * The pool's view and its newest `limit` top-ups from one snapshot: a
   * top-up that commits meanwhile is in neither (read apart, it could be
   * listed while the budget shown does not hold it yet).
   */
  async findWithTopUps(key: string, limit: number): Promise<(PoolView & { topUps: { total: number; latest: TopUpRecord[] } }) | null> {
    return this.ds.transaction('REPEATABLE READ', async (tx) => {
      const view = await this.viewIn(tx, key);
      return view ? { ...view, topUps: await recentTopUps(tx, key, limit) } : null;
    });
  }

  private async viewIn(tx: EntityManager, key: string): Promise<PoolView | null> {
    const pool = await tx.findOneBy(RewardPoolEntity, { key });
    return pool ? (await this.viewsOf(tx, [pool]))[0] : null;
  }

  /**
   * The oldest `limit` pools' views and how many pools there are, from one
   * snapshot in four statements however many pools: the spend and the void
   * codes are summed for all of them at once.
   */
  async list(limit: number): Promise<{ pools: PoolView[]; total: number }> {
    return this.ds.transaction('REPEATABLE READ', async (tx) => {
      const pools = await tx.find(RewardPoolEntity, { order: { createdAt: 'ASC', key: 'ASC' }, take: limit });
      const total = await tx.count(RewardPoolEntity);
      return { pools: await this.viewsOf(tx, pools), total };
    });
  }

  /**
   * The pools' views: their spend (summed over the shards) and their void
   * codes (reclaimed coupons', withdrawn for good: the partial index
   * coupon_codes_void_idx), two statements for any number of pools.
   */
  private async viewsOf(tx: EntityManager, pools: RewardPoolEntity[]): Promise<PoolView[]> {
    const keys = pools.map((p) => p.key);
    // What is left is subtracted in numeric: in floating point a budget of 10 less 9.8 used leaves 0.1999999999999993.
    const used: Array<{ key: string; used: string; left: string | null }> = await tx.query(
      `select s.pool_key as key, sum(s.used) as used, p.budget - sum(s.used) as left
         from pool_budget_shards s join reward_pools p on p.key = s.pool_key
        where s.pool_key = any($1::text[]) group by s.pool_key, p.budget`,
      [keys],
    );
    const voided: Array<{ key: string; n: number }> = await tx.query(
      `select pool_key as key, count(*)::int as n from coupon_codes where pool_key = any($1::text[]) and state = 'void' group by 1`,
      [keys],
    );
    const usedBy = new Map(used.map((r) => [r.key, { used: Number(r.used), left: r.left === null ? null : Number(r.left) }]));
    const voidedBy = new Map(voided.map((r) => [r.key, r.n]));
    return pools.map((p) => toPoolView(p, usedBy.get(p.key) ?? { used: 0, left: p.budget }, voidedBy.get(p.key) ?? 0));
  }

  /** Budget and spend of every pool that has a budget: one aggregate over the shard rows, for metrics. */
  async budgets(): Promise<PoolBudget[]> {
    // SQL: one aggregate over every pool's shards, in one round trip.
    const rows: Array<{ key: string; budget: string; used: string; left: string }> = await this.ds.query(
      `select p.key, p.budget, coalesce(sum(s.used), 0) as used, p.budget - coalesce(sum(s.used), 0) as left
         from reward_pools p left join pool_budget_shards s on s.pool_key = p.key
        where p.budget is not null
        group by p.key, p.budget`,
    );
    return rows.map((r) => ({ key: r.key, budget: Number(r.budget), used: Number(r.used), left: Number(r.left) }));
  }

  /**
   * Codes of every coupon pool, with or without a budget, for metrics: a pool runs out of codes before its
   * budget once reclaims void codes (a reclaimed coupon's budget comes back, its code does not). Left is
   * total less issued (the shards' `used`: one per unreclaimed coupon) less void, as toPoolView counts it:
   * the shards and the partial index of void codes, never a count of the available ones, which may be millions.
   */
  async codes(): Promise<PoolCodes[]> {
    const rows: Array<{ key: string; total: number; left: string }> = await this.ds.query(
      `select p.key, p.codes_total as total, p.codes_total - used.n - voided.n as left
         from reward_pools p
        cross join lateral (select coalesce(sum(s.used), 0) as n from pool_budget_shards s where s.pool_key = p.key) used
        cross join lateral (select count(*) as n from coupon_codes c where c.pool_key = p.key and c.state = 'void') voided
        where p.kind = 'coupon'`,
    );
    return rows.map((r) => ({ key: r.key, total: Number(r.total), left: Number(r.left) }));
  }
}
