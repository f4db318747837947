import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `pool_top_ups`: one row per top-up of a pool (budget added, codes added).
 * Its key is the pool and the top-up's id, so a retried request finds its
 * row and adds nothing twice; `request_hash` tells a retry from a different
 * top-up that reuses the id.
 */
export class PoolTopUps1765100000000 implements MigrationInterface {
  name = 'PoolTopUps1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table pool_top_ups (
        pool_key text not null references reward_pools (key),
        id text not null,
        request_hash text not null,
        budget_added numeric,
        codes_added int not null default 0,
        at timestamptz not null default now(),
        primary key (pool_key, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table pool_top_ups`);
  }
}
