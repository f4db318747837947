import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RECLAIM_REWARD_FUNCTION } from './rewards-ledger/reclaim-reward.sql';
import { RECLAIM_REWARD_VOIDING_FUNCTION } from './rewards-ledger/reclaim-reward-voiding.sql';

/**
 * A reclaimed, unused coupon's code is voided instead of handed out again
 * (issue 11, item 4). Codes that earlier reclaims put back to `available`
 * are voided here too: their first holder may still have them.
 *
 * The partial index lets a pool's view count its void codes without a scan.
 */
export class VoidReclaimedCoupons1764300000001 implements MigrationInterface {
  name = 'VoidReclaimedCoupons1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(RECLAIM_REWARD_VOIDING_FUNCTION);
    await q.query(`
      update coupon_codes c set state = 'void'
        from rewards r
       where r.kind = 'coupon' and r.status = 'reclaimed'
         and c.pool_key = r.pool_key and c.code = r.code and c.state = 'available'`);
    await q.query(`create index coupon_codes_void_idx on coupon_codes (pool_key) where state = 'void'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index coupon_codes_void_idx`);
    await q.query(RECLAIM_REWARD_FUNCTION.replace('create function', 'create or replace function'));
  }
}
