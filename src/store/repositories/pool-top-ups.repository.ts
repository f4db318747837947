import type { DataSource, EntityManager } from 'typeorm';
import type { PoolKind } from '../../domain/campaign/schema';
import type { DomainIssue } from '../../domain/issues';
import { codeCursor, parseCodePattern, randomCodeKey } from '../ledger/code-pattern';
import { budgetShare } from './budget-share';
import { CODE_BATCH, codesInPool, insertCouponCodes } from './coupon-codes';

/** What one top-up adds to a pool. */
export interface PoolAddition {
  /** Names the top-up: a pool takes each id once. */
  id: string;
  /** Tells a retry of the same top-up from another one that reuses its id. */
  requestHash: string;
  budget?: number;
  codes?: string[];
  generate?: { pattern: string; count: number };
}

/** The pool as a top-up finds it, under its lock. */
export interface PoolUnderTopUp {
  key: string;
  kind: PoolKind;
  /** The budget's numeric text, exact (a double would round it); null: unlimited. */
  budget: string | null;
}

/** One top-up as the pool's view lists it. */
export interface TopUpRecord {
  id: string;
  /** Null: the top-up added no budget. */
  budgetAdded: number | null;
  codesAdded: number;
  at: string;
}

export type TopUpOutcome =
  | { outcome: 'applied'; codesAdded: number }
  | { outcome: 'noPool' }
  /** The id was taken before; `same`: by this very request (a retry), else by another. */
  | { outcome: 'repeated'; same: boolean }
  | { outcome: 'refused'; issues: DomainIssue[] };

/** Imported codes the pool holds are each named, up to this many; the rest are counted. */
const NAMED_CODES = 100;

/** A generate top-up's first batch draws at least this many candidates (see addGenerated). */
const FIRST_DRAW = 64;

/** Thrown inside the transaction so that nothing it wrote stays. */
class Refused extends Error {
  constructor(readonly issues: DomainIssue[]) {
    super('top-up refused');
  }
}

/**
 * Top-ups: budget and codes added to a pool in one transaction. Top-ups of
 * one pool wait for one another (a lock on the pool's row that rewards being
 * issued do not take); issuing waits only for the moment the budget shards
 * change, and finds the new codes after the ones the pool holds.
 */
export class PoolTopUpsRepository {
  constructor(private readonly ds: DataSource) {}

  /** `refuse`: the rules for this pool as it is now; anything it returns refuses the top-up and nothing changes. */
  async topUp(key: string, add: PoolAddition, refuse: (pool: PoolUnderTopUp) => DomainIssue[]): Promise<TopUpOutcome> {
    try {
      return await this.ds.transaction(async (tx) => {
        // FOR NO KEY UPDATE: issuing a reward (its foreign key takes KEY SHARE) is not held up by it.
        const [pool]: Array<{ kind: PoolKind; budget: string | null; codes_total: number }> = await tx.query(
          `select kind, budget, codes_total from reward_pools where key = $1 for no key update`,
          [key],
        );
        if (!pool) return { outcome: 'noPool' };
        const [done]: Array<{ request_hash: string }> = await tx.query(`select request_hash from pool_top_ups where pool_key = $1 and id = $2`, [key, add.id]);
        if (done) return { outcome: 'repeated', same: done.request_hash === add.requestHash };
        // Codes the pool holds are refused in the same answer as the rest (a repeat in the list, say): one fix, not two round trips.
        const held = add.codes && pool.kind === 'coupon' ? heldCodeIssues(add.codes, await codesInPool(tx, key, add.codes)) : [];
        const issues = [...refuse({ key, kind: pool.kind, budget: pool.budget }), ...held];
        if (issues.length > 0) throw new Refused(issues);

        const codesAdded = add.codes
          ? await this.addImported(tx, key, pool.codes_total, add.codes)
          : add.generate
            ? await this.addGenerated(tx, key, pool.codes_total, add.generate)
            : 0;
        if (add.budget !== undefined) await this.addBudget(tx, key, add.budget);
        await tx.query(`update reward_pools set codes_total = codes_total + $2, updated_at = now() where key = $1`, [key, codesAdded]);
        // Stamped now, after the work and under the pool's lock (not at the transaction's start, which may have waited for
        // another top-up): one pool's top-ups are timed in the order they were applied.
        await tx.query(`insert into pool_top_ups (pool_key, id, request_hash, budget_added, codes_added, at) values ($1, $2, $3, $4, $5, clock_timestamp())`, [
          key,
          add.id,
          add.requestHash,
          add.budget ?? null,
          codesAdded,
        ]);
        return { outcome: 'applied', codesAdded };
      });
    } catch (err) {
      if (err instanceof Refused) return { outcome: 'refused', issues: err.issues };
      throw err;
    }
  }

  /** Imported codes, after the pool's own (none of them held: see heldCodeIssues). */
  private async addImported(tx: EntityManager, key: string, seq: number, codes: string[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < codes.length; i += CODE_BATCH) added += await insertCouponCodes(tx, key, seq + added, codes.slice(i, i + CODE_BATCH), false);
    return added;
  }

  /**
   * `count` new codes of the pattern, none equal to one the pool holds: a
   * fresh key walks the pattern's codes once, skipping those. Refused when
   * the pattern runs out first. The first batch of candidates is sized to
   * what is missing (twice it, at least FIRST_DRAW), so a small top-up sends
   * a few dozen candidates in one statement; each batch that falls short
   * doubles the next, up to CODE_BATCH, so a nearly full pattern costs about
   * one statement per CODE_BATCH of its codes (plus the few rounds of
   * doubling), not one per code. The insert takes only as many as are
   * missing, numbered on from `seq`.
   */
  private async addGenerated(tx: EntityManager, key: string, seq: number, generate: { pattern: string; count: number }): Promise<number> {
    const pattern = parseCodePattern(generate.pattern);
    const cursor = codeCursor(pattern, randomCodeKey());
    let added = 0;
    let draw = Math.min(CODE_BATCH, Math.max(FIRST_DRAW, 2 * generate.count));
    while (added < generate.count) {
      const batch = cursor.next(draw);
      if (batch.length === 0) {
        throw new Refused([
          { path: 'generate.count', message: `the pattern spells only ${added} ${added === 1 ? 'code' : 'codes'} the pool does not hold yet` },
        ]);
      }
      added += await insertCouponCodes(tx, key, seq + added, batch, true, generate.count - added);
      draw = Math.min(CODE_BATCH, 2 * draw);
    }
    return added;
  }

  /**
   * Adds to the budget and spreads the addition over the pool's shards as
   * creation spread the budget (budgetShare). The shards are locked in order
   * first, as the issue function's sweep locks them, so the two never deadlock.
   */
  private async addBudget(tx: EntityManager, key: string, amount: number): Promise<void> {
    await tx.query(`select 1 from pool_budget_shards where pool_key = $1 order by shard for update`, [key]);
    await tx.query(
      `with n as (select count(*) as n from pool_budget_shards where pool_key = $1)
       update pool_budget_shards s
          set budget = s.budget + ${budgetShare('$2::numeric', 'n.n', 's.shard')}
         from n
        where s.pool_key = $1`,
      [key, amount],
    );
    await tx.query(`update reward_pools set budget = budget + $2::numeric where key = $1`, [key, amount]);
  }
}

/**
 * The pool's newest `limit` top-ups, newest first, and how many it took in
 * all, read with `db`: a transaction's EntityManager reads them in that
 * transaction's snapshot (PoolsRepository.findWithTopUps, beside the pool's view).
 */
export async function recentTopUps(db: Pick<EntityManager, 'query'>, key: string, limit: number): Promise<{ total: number; latest: TopUpRecord[] }> {
  const rows: Array<{ id: string; budget_added: string | null; codes_added: number; at: Date; total: number }> = await db.query(
    `select id, budget_added, codes_added, at, count(*) over ()::int as total
       from pool_top_ups where pool_key = $1 order by at desc, id desc limit $2`,
    [key, limit],
  );
  return {
    total: rows[0]?.total ?? 0,
    latest: rows.map((r) => ({ id: r.id, budgetAdded: r.budget_added === null ? null : Number(r.budget_added), codesAdded: r.codes_added, at: r.at.toISOString() })),
  };
}

/** The imported codes the pool holds already, by path: the first NAMED_CODES of them, then how many more. */
function heldCodeIssues(codes: string[], held: Set<string>): DomainIssue[] {
  const issues: DomainIssue[] = [];
  codes.forEach((code, i) => {
    if (held.has(code) && issues.length < NAMED_CODES) issues.push({ path: `codes[${i}]`, message: `"${code}" is in the pool already` });
  });
  if (held.size > NAMED_CODES) issues.push({ path: 'codes', message: `and ${held.size - NAMED_CODES} more codes the pool holds already` });
  return issues;
}
