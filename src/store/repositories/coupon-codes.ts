import type { EntityManager } from 'typeorm';

/** Codes go to PostgreSQL in batches of this many, one array parameter each. */
export const CODE_BATCH = 10_000;

/**
 * Adds `codes` to a pool's codes, numbered in hand-out order from `seq`
 * (the pool's codes_total: numbers stay contiguous). With `skipHeld`, codes
 * the pool holds already are left out and take no number (a new pool holds
 * none: creation saves itself the look-up). `limit`: at most this many are
 * added, the first in `codes` order; the rest are not used. Returns how many
 * were added. Callers hold the pool against other writers of its codes
 * (creation, or a top-up's lock).
 */
export async function insertCouponCodes(tx: EntityManager, poolKey: string, seq: number, codes: string[], skipHeld: boolean, limit?: number): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await tx.query(
    `with added as (
       insert into coupon_codes (pool_key, code, seq)
       select $1, c.code, $2::bigint + row_number() over (order by c.ord) - 1
         from (select u.code, u.ord
                 from unnest($3::text[]) with ordinality as u(code, ord)
                where not $4 or not exists (select 1 from coupon_codes x where x.pool_key = $1 and x.code = u.code)
                order by u.ord
                limit $5::bigint) as c
       returning 1
     )
     select count(*)::int as n from added`,
    [poolKey, seq, codes, skipHeld, limit ?? null],
  );
  return n;
}

/** Which of `codes` the pool holds (in any state), in batches. */
export async function codesInPool(tx: EntityManager, poolKey: string, codes: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < codes.length; i += CODE_BATCH) {
    const rows: Array<{ code: string }> = await tx.query(`select code from coupon_codes where pool_key = $1 and code = any($2::text[])`, [
      poolKey,
      codes.slice(i, i + CODE_BATCH),
    ]);
    for (const r of rows) held.add(r.code);
  }
  return held;
}
