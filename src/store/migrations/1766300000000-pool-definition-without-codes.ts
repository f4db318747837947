import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pool's stored definition kept its whole imported `codes` list (up to a
 * request body, millions of codes) beside `coupon_codes`, and every read of
 * the pool (the console polls the list) loaded and parsed it. The codes live
 * in `coupon_codes`; the definition keeps how many were imported.
 */
export class PoolDefinitionWithoutCodes1766300000000 implements MigrationInterface {
  name = 'PoolDefinitionWithoutCodes1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `update reward_pools
          set definition = (definition - 'codes') || jsonb_build_object('codesImported', jsonb_array_length(definition -> 'codes'))
        where jsonb_typeof(definition -> 'codes') = 'array'`,
    );
  }

  async down(): Promise<void> {
    // The lists are in coupon_codes; the definitions do not take them back.
  }
}
