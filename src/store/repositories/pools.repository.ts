import type { DataSource, EntityManager } from 'typeorm';
import type { RewardPool } from '../../domain/campaign/schema';
import { BUDGET_SHARDS } from '../migrations/rewards-ledger/issue-reward.sql';
import { generateCodes, parseCodePattern, randomScatter } from '../ledger/code-pattern';

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

const BATCH = 10_000;

export interface PoolBudget {
  key: string;
  budget: number;
  used: number;
}

export class PoolsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Creates the pool and its codes in one transaction. Returns null when the
   * key exists (nothing is changed). The caller has validated codes and pattern.
   */
  async create(pool: RewardPool): Promise<PoolView | null> {
    const created = await this.ds.transaction(async (tx) => {
      const rows: unknown[] = await tx.query(
        `insert into reward_pools (key, kind, name, budget, per_user_limit, valid_for, currency, definition)
         values ($1, $2, $3, $4, $5, $6::interval, $7, $8::jsonb)
         on conflict (key) do nothing
         returning key`,
        [
          pool.key,
          pool.kind,
          pool.name ?? null,
          pool.budget ?? null,
          pool.perUserLimit ?? null,
          pool.validFor?.replace(',', '.') ?? null,
          pool.currency ?? null,
          JSON.stringify(pool),
        ],
      );
      if (rows.length === 0) return false;
      // Truncated shares keep the total exact; shard 0 takes the rest.
      await tx.query(
        `insert into pool_budget_shards (pool_key, shard, budget)
         select $1, s, case when $2::numeric is null then null
                            when s = 0 then $2::numeric - ($3 - 1) * trunc($2::numeric / $3, 6)
                            else trunc($2::numeric / $3, 6) end
           from generate_series(0, $3 - 1) as s`,
        [pool.key, pool.budget ?? null, BUDGET_SHARDS],
      );
      if (pool.kind === 'coupon') await this.insertCodes(tx, pool);
      return true;
    });
    return created ? this.find(pool.key) : null;
  }

  private async insertCodes(tx: EntityManager, pool: RewardPool): Promise<void> {
    let seq = 0;
    const insert = async (codes: string[]) => {
      await tx.query(
        `insert into coupon_codes (pool_key, code, seq)
         select $1, c.code, $2::bigint + c.ord - 1 from unnest($3::text[]) with ordinality as c(code, ord)`,
        [pool.key, seq, codes],
      );
      seq += codes.length;
    };
    if (pool.codes) {
      for (let i = 0; i < pool.codes.length; i += BATCH) await insert(pool.codes.slice(i, i + BATCH));
    } else if (pool.generate) {
      const pattern = parseCodePattern(pool.generate.pattern);
      for (const batch of generateCodes(pattern, pool.generate.count, randomScatter(pattern.capacity), BATCH)) await insert(batch);
    }
    await tx.query(`update reward_pools set codes_total = $2 where key = $1`, [pool.key, seq]);
  }

  async find(key: string): Promise<PoolView | null> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select p.key, p.kind, p.name, p.currency, p.per_user_limit, p.definition->>'validFor' as valid_for,
              p.budget, (select coalesce(sum(s.used), 0) from pool_budget_shards s where s.pool_key = p.key) as used,
              p.codes_total, p.created_at,
              case when p.kind = 'coupon' then (select count(*) from coupon_codes c where c.pool_key = p.key and c.state = 'void') end as codes_voided
         from reward_pools p where p.key = $1`,
      [key],
    );
    const r = rows[0];
    if (!r) return null;
    const budget = r.budget === null ? null : Number(r.budget);
    const used = Number(r.used);
    const view: PoolView = {
      key: r.key as string,
      kind: r.kind as PoolView['kind'],
      name: r.name as string | null,
      currency: r.currency as string | null,
      perUserLimit: r.per_user_limit as number | null,
      validFor: r.valid_for as string | null,
      budget,
      used,
      left: budget === null ? null : budget - used,
      createdAt: (r.created_at as Date).toISOString(),
    };
    if (view.kind === 'coupon') {
      // Every issued, unreclaimed coupon holds exactly one code and counts 1 in "used" (see the issue function);
      // a reclaimed one's code is void, never handed out again.
      const total = Number(r.codes_total);
      const voided = Number(r.codes_voided);
      view.codes = { total, issued: used, left: total - used - voided, voided };
    }
    return view;
  }

  /** Budget and spend of every pool that has a budget: one aggregate over the shard rows, for metrics. */
  async budgets(): Promise<PoolBudget[]> {
    const rows: Array<{ key: string; budget: string; used: string }> = await this.ds.query(
      `select p.key, p.budget, coalesce(sum(s.used), 0) as used
         from reward_pools p left join pool_budget_shards s on s.pool_key = p.key
        where p.budget is not null
        group by p.key, p.budget`,
    );
    return rows.map((r) => ({ key: r.key, budget: Number(r.budget), used: Number(r.used) }));
  }
}
