import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';

/** A pool's stored definition holds no imported code list: the codes live in coupon_codes (migration PoolDefinitionWithoutCodes). */
describe('reward_pools.definition without the imported codes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const codes = Array.from({ length: 20_000 }, (_, i) => `PARTNER-${String(i).padStart(6, '0')}`);
  const stored = async (key: string) =>
    (await db.dataSource.query(`select definition, pg_column_size(definition) as bytes from reward_pools where key = $1`, [key]))[0] as {
      definition: Record<string, unknown>;
      bytes: number;
    };

  it('a new pool stores how many codes it imported, not the list; the pool still hands out every code', async () => {
    const pools = new PoolsRepository(db.dataSource);
    const view = await pools.create({ key: 'partner', kind: 'coupon', codes, validFor: 'P1M' });
    expect(view).toMatchObject({ validFor: 'P1M', codes: { total: 20_000, issued: 0, left: 20_000, voided: 0 } });
    const row = await stored('partner');
    expect(row.definition).toEqual({ key: 'partner', kind: 'coupon', validFor: 'P1M', codesImported: 20_000 });
    // The list of 20,000 codes was some 300 kB of the row.
    expect(row.bytes).toBeLessThan(1000);
    const [{ n }] = await db.dataSource.query(`select count(*)::int as n from coupon_codes where pool_key = 'partner'`);
    expect(n).toBe(20_000);
  });

  it('the migration strips the list from pools stored before it, and leaves other pools as they were', async () => {
    const ds = db.dataSource;
    for (;;) {
      const [last] = await ds.query(`select name from migrations order by id desc limit 1`);
      await ds.undoLastMigration();
      if (last.name === 'PoolDefinitionWithoutCodes1766300000000') break;
    }
    const before = { key: 'old-partner', kind: 'coupon', codes: codes.slice(0, 5000), perUserLimit: 1 };
    const generated = { key: 'old-generated', kind: 'coupon', generate: { pattern: 'A-####', count: 10 } };
    for (const pool of [before, generated]) {
      await ds.query(`insert into reward_pools (key, kind, definition) values ($1, 'coupon', $2::jsonb)`, [pool.key, JSON.stringify(pool)]);
    }
    await ds.runMigrations();
    expect((await stored('old-partner')).definition).toEqual({ key: 'old-partner', kind: 'coupon', perUserLimit: 1, codesImported: 5000 });
    expect((await stored('old-generated')).definition).toEqual(generated);
    expect((await stored('partner')).definition).toMatchObject({ codesImported: 20_000 });
  });
});
