import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { PoolsService } from '../../src/api/pools/pools.service';
import { PoolTopUpsRepository, recentTopUps, type PoolAddition } from '../../src/store/repositories/pool-top-ups.repository';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/** Top-ups at the store: what they add, that issuing sees it at once, and that they are all or nothing. */
describe('pool top-ups', () => {
  let f: LedgerFixture;
  let topUps: PoolTopUpsRepository;
  let n = 0;
  beforeAll(async () => {
    f = await startLedger();
    topUps = new PoolTopUpsRepository(f.ds);
  });
  afterAll(async () => f?.stop());

  const add = (key: string, what: Omit<PoolAddition, 'id' | 'requestHash'>, id = `t-${++n}`) =>
    topUps.topUp(key, { id, requestHash: JSON.stringify(what), ...what }, () => []);
  const shardBudget = async (key: string) =>
    Number((await f.ds.query(`select sum(budget) as b from pool_budget_shards where pool_key = $1`, [key]))[0].b);
  const issuePoints = (pool: string, amount: number, userId = 'u-1') => f.activities.issueReward(issueInput({ type: 'points', amount, pool }, { userId }));
  const issueCoupon = async (pool: string) => {
    const r = await f.activities.issueReward(issueInput({ type: 'coupon', pool }));
    return r.outcome === 'issued' ? r.reward.code : r.outcome;
  };

  it('budget added to a spent pool is issued from at once, and the shards add up to the new budget', async () => {
    await f.createPool({ key: 'pts', kind: 'points', budget: 100 });
    expect((await issuePoints('pts', 100)).outcome).toBe('issued');
    expect((await issuePoints('pts', 1)).outcome).toBe('exhausted');

    expect(await add('pts', { budget: 50.5 })).toEqual({ outcome: 'applied', codesAdded: 0 });
    expect((await issuePoints('pts', 50.5)).outcome).toBe('issued');
    expect((await issuePoints('pts', 0.01)).outcome).toBe('exhausted');
    expect(await f.pools.find('pts')).toMatchObject({ budget: 150.5, used: 150.5, left: 0 });
    expect(await shardBudget('pts')).toBe(150.5);
  });

  it('top-ups while rewards are being issued: every unit is issued once, none beyond the budget', async () => {
    await f.createPool({ key: 'busy', kind: 'points', budget: 10 });
    const issues = Array.from({ length: 80 }, (_, i) => issuePoints('busy', 1, `busy-${i}`));
    const added = [add('busy', { budget: 15 }), add('busy', { budget: 5 })];
    const results = await Promise.all(issues);
    expect((await Promise.all(added)).map((a) => a.outcome)).toEqual(['applied', 'applied']);
    const issued = results.filter((r) => r.outcome === 'issued').length;
    // Issues that ran before a top-up committed may have found the pool spent; the rest were issued.
    expect(issued).toBeGreaterThanOrEqual(10);
    expect(issued).toBeLessThanOrEqual(30);
    for (let i = issued; i < 30; i++) expect((await issuePoints('busy', 1, `after-${i}`)).outcome).toBe('issued');
    expect((await issuePoints('busy', 1, 'one-too-many')).outcome).toBe('exhausted');
    expect(await poolUsed(f.ds, 'busy')).toBe(30);
    expect(await shardBudget('busy')).toBe(30);
  });

  it('imported codes go out after the pool’s own, in their order', async () => {
    await f.createPool({ key: 'cpn', kind: 'coupon', codes: ['A', 'B'] });
    expect([await issueCoupon('cpn'), await issueCoupon('cpn'), await issueCoupon('cpn')]).toEqual(['A', 'B', 'exhausted']);
    expect(await add('cpn', { codes: ['D', 'C'] })).toEqual({ outcome: 'applied', codesAdded: 2 });
    expect([await issueCoupon('cpn'), await issueCoupon('cpn')]).toEqual(['D', 'C']);
    expect(await f.pools.find('cpn')).toMatchObject({ codes: { total: 4, issued: 4, left: 0 } });
  });

  it('codes the pool holds are refused by path, and nothing of that top-up is added', async () => {
    await f.createPool({ key: 'held', kind: 'coupon', budget: 5, codes: ['A', 'B'] });
    const refused = await add('held', { codes: ['N', 'B', 'M', 'A'], budget: 3 });
    expect(refused).toEqual({
      outcome: 'refused',
      issues: [
        { path: 'codes[1]', message: '"B" is in the pool already' },
        { path: 'codes[3]', message: '"A" is in the pool already' },
      ],
    });
    expect(await count(f.ds, `select count(*) from coupon_codes where pool_key = 'held'`)).toBe(2);
    expect(await count(f.ds, `select count(*) from pool_top_ups where pool_key = 'held'`)).toBe(0);
    expect(await f.pools.find('held')).toMatchObject({ budget: 5, codes: { total: 2 } });
  });

  it('top-ups of one pool take turns: of two bringing the same code, one adds it and the other is refused', async () => {
    await f.createPool({ key: 'race', kind: 'coupon', codes: ['A'] });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => add('race', { codes: [`only-${i}`, 'Z'] })));
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'refused')).toEqual(
      Array.from({ length: 5 }, () => ({ outcome: 'refused', issues: [{ path: 'codes[1]', message: '"Z" is in the pool already' }] })),
    );
    expect(await f.pools.find('race')).toMatchObject({ codes: { total: 3 } });
  });

  it('generated codes skip the codes the pool holds; a pattern with none left is refused whole', async () => {
    await f.createPool({ key: 'gen', kind: 'coupon', generate: { pattern: 'A-#', count: 6 } });
    expect(await add('gen', { generate: { pattern: 'A-#', count: 3 } })).toEqual({ outcome: 'applied', codesAdded: 3 });
    const codes = (await f.ds.query(`select code from coupon_codes where pool_key = 'gen' order by seq`)).map((r: { code: string }) => r.code);
    expect(new Set(codes).size).toBe(9);
    expect(await count(f.ds, `select count(distinct seq) from coupon_codes where pool_key = 'gen'`)).toBe(9);
    expect(await count(f.ds, `select max(seq) from coupon_codes where pool_key = 'gen'`)).toBe(8);

    expect(await add('gen', { generate: { pattern: 'A-#', count: 2 } })).toEqual({
      outcome: 'refused',
      issues: [{ path: 'generate.count', message: 'the pattern spells only 1 code the pool does not hold yet' }],
    });
    expect(await f.pools.find('gen')).toMatchObject({ codes: { total: 9 } });
    expect(await add('gen', { generate: { pattern: 'A-#', count: 1 } })).toEqual({ outcome: 'applied', codesAdded: 1 });
    expect(await f.pools.find('gen')).toMatchObject({ codes: { total: 10, left: 10 } });
  });

  /**
   * A data source whose transactions count the statements that insert coupon
   * codes, and note how many candidate codes each one was sent (its array parameter).
   */
  const countingCodeInserts = () => {
    const seen = { inserts: 0, candidates: [] as number[] };
    const counting = (tx: EntityManager) =>
      new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
          return (sql: string, params?: unknown[]) => {
            if (/insert into coupon_codes/.test(sql)) {
              seen.inserts++;
              seen.candidates.push((params?.find((p) => Array.isArray(p)) as unknown[] | undefined)?.length ?? 0);
            }
            return target.query(sql, params);
          };
        },
      });
    const ds = new Proxy(f.ds, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver) as unknown;
        return (run: (tx: EntityManager) => Promise<unknown>) => target.transaction((tx) => run(counting(tx)));
      },
    }) as DataSource;
    return { repo: new PoolTopUpsRepository(ds), seen };
  };

  it('a small generate top-up on an empty pattern sends one insert with a few candidates, not a full batch', async () => {
    await f.createPool({ key: 'small', kind: 'coupon', codes: ['X'] });
    const { repo, seen } = countingCodeInserts();
    expect(await repo.topUp('small', { id: 'small-1', requestHash: 'h', generate: { pattern: 'SAVE-##########', count: 1 } }, () => [])).toEqual({
      outcome: 'applied',
      codesAdded: 1,
    });
    // One statement, its candidates sized to the one code missing (a small floor), not 10,000 of them.
    expect(seen.inserts).toBe(1);
    expect(seen.candidates).toHaveLength(1);
    expect(seen.candidates[0]).toBeLessThanOrEqual(64);
    expect(await f.pools.find('small')).toMatchObject({ codes: { total: 2 } });
    expect(await count(f.ds, `select max(seq) from coupon_codes where pool_key = 'small'`)).toBe(1);
    expect(await count(f.ds, `select count(*) from coupon_codes where pool_key = 'small' and code like 'SAVE-%'`)).toBe(1);
  });

  it('a generate top-up on a full pattern is refused in doubling batches, not one insert per code', async () => {
    await f.createPool({ key: 'full', kind: 'coupon', generate: { pattern: 'A-###', count: 1000 } });
    const { repo, seen } = countingCodeInserts();
    const what = { generate: { pattern: 'A-###', count: 1 } };
    expect(await repo.topUp('full', { id: 'full-1', requestHash: 'h', ...what }, () => [])).toEqual({
      outcome: 'refused',
      issues: [{ path: 'generate.count', message: 'the pattern spells only 0 codes the pool does not hold yet' }],
    });
    // Each batch that falls short doubles the next, from the floor of 64: the whole pattern (1,000 codes) is walked
    // once in five inserts, then the cursor runs out.
    expect(seen.candidates).toEqual([64, 128, 256, 512, 40]);
    expect(seen.inserts).toBe(5);
    expect(await f.pools.find('full')).toMatchObject({ codes: { total: 1000 } });
  });

  it('a generate top-up on a nearly full pattern finds the free codes in doubling batches', async () => {
    await f.createPool({ key: 'nearly', kind: 'coupon', generate: { pattern: 'B-###', count: 997 } });
    const { repo, seen } = countingCodeInserts();
    expect(await repo.topUp('nearly', { id: 'nearly-1', requestHash: 'h', generate: { pattern: 'B-###', count: 2 } }, () => [])).toEqual({
      outcome: 'applied',
      codesAdded: 2,
    });
    // Wherever the walk finds the free codes, it has walked the whole pattern (1,000 codes) by the fifth batch of 64, 128, … .
    expect(seen.inserts).toBeLessThanOrEqual(5);
    // Only as many as asked for were added, numbered on from the pool's codes.
    expect(await f.pools.find('nearly')).toMatchObject({ codes: { total: 999 } });
    expect(await count(f.ds, `select count(distinct code) from coupon_codes where pool_key = 'nearly'`)).toBe(999);
    expect(await count(f.ds, `select max(seq) from coupon_codes where pool_key = 'nearly'`)).toBe(998);
    expect(await add('nearly', { generate: { pattern: 'B-###', count: 1 } })).toEqual({ outcome: 'applied', codesAdded: 1 });
    expect(await count(f.ds, `select count(distinct code) from coupon_codes where pool_key = 'nearly'`)).toBe(1000);
  });

  it("a top-up's time is when it was applied: one that waited for the pool's lock is the newer", async () => {
    await f.createPool({ key: 'when', kind: 'points', budget: 1 });
    // Another top-up holds the pool's lock while this one waits for it.
    const holder = f.ds.createQueryRunner();
    await holder.connect();
    let waiting: Promise<unknown> | undefined;
    try {
      await holder.startTransaction();
      await holder.query(`select 1 from reward_pools where key = 'when' for no key update`);
      waiting = add('when', { budget: 2 }, 'waited');
      // Its transaction has begun once it waits for the lock.
      while (
        (await count(
          f.ds,
          `select count(*) from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%from reward_pools where key = $1 for no key update%'`,
        )) === 0
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.query(`select pg_sleep(0.1)`);
      await holder.query(`insert into pool_top_ups (pool_key, id, request_hash, budget_added, codes_added, at) values ('when', 'first', 'h', 1, 0, clock_timestamp())`);
      const released: Date = (await holder.query(`select clock_timestamp() as t`))[0].t;
      await holder.commitTransaction();
      expect(await waiting).toEqual({ outcome: 'applied', codesAdded: 0 });
      const { latest } = await recentTopUps(f.ds, 'when', 10);
      // Stamped when it was applied, after the lock was let go, not when its transaction began.
      expect(latest.map((t) => t.id)).toEqual(['waited', 'first']);
      expect(Date.parse(latest[0].at)).toBeGreaterThanOrEqual(released.getTime());
    } finally {
      await waiting?.catch(() => undefined);
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('an id is taken once: a retry adds nothing, and another top-up under it is told apart', async () => {
    await f.createPool({ key: 'once', kind: 'credit', budget: 10, currency: 'EUR' });
    expect((await add('once', { budget: 5 }, 'restock-1')).outcome).toBe('applied');
    expect(await add('once', { budget: 5 }, 'restock-1')).toEqual({ outcome: 'repeated', same: true });
    expect(await add('once', { budget: 7 }, 'restock-1')).toEqual({ outcome: 'repeated', same: false });
    expect(await f.pools.find('once')).toMatchObject({ budget: 15 });
    // Ids belong to their pool.
    await f.createPool({ key: 'other', kind: 'credit', budget: 1 });
    expect((await add('other', { budget: 5 }, 'restock-1')).outcome).toBe('applied');
  });

  it('no pool, and the rules refusing: nothing changes', async () => {
    expect(await add('nope', { budget: 1 })).toEqual({ outcome: 'noPool' });
    await f.createPool({ key: 'ruled', kind: 'points', budget: 1 });
    const refused = await topUps.topUp('ruled', { id: 'r', requestHash: 'h', budget: 1 }, (pool) => [{ path: 'budget', message: `${pool.kind} ${pool.budget}` }]);
    expect(refused).toEqual({ outcome: 'refused', issues: [{ path: 'budget', message: 'points 1' }] });
    expect(await f.pools.find('ruled')).toMatchObject({ budget: 1 });
    expect(await shardBudget('ruled')).toBe(1);
  });

  // Review 60 (rewards), finding 1: the view and its top-ups were read apart, so a top-up committed between the
  // two was listed while the budget shown did not hold it.
  it("a pool's view and its top-ups are one snapshot", async () => {
    await f.createPool({ key: 'snap', kind: 'points', budget: 100 });
    const service = new PoolsService(f.pools, topUps);
    // Once the pool's view is read, just before its top-ups are: another top-up of 50 commits.
    const probe = f.ds.createQueryRunner();
    const runnerProto = Object.getPrototypeOf(probe) as QueryRunner;
    await probe.release();
    const original = runnerProto.query;
    let applied: Promise<unknown> | undefined;
    const spy = jest.spyOn(runnerProto, 'query').mockImplementation(async function (this: QueryRunner, ...args: Parameters<QueryRunner['query']>) {
      if (applied === undefined && /from pool_top_ups where pool_key = \$1 order by at desc/.test(args[0])) {
        applied = add('snap', { budget: 50 }, 't1');
        await applied;
      }
      return original.apply(this, args) as Promise<unknown>;
    });
    const answer = await service.get('snap').finally(() => spy.mockRestore());
    expect(await applied).toEqual({ outcome: 'applied', codesAdded: 0 });
    expect(answer.topUps).toBeDefined();
    const listed = (answer.topUps?.latest ?? []).reduce((sum, t) => sum + (t.budgetAdded ?? 0), 0);
    expect({ budget: answer.budget, left: answer.left }).toEqual({ budget: 100 + listed, left: 100 + listed });
    // Read again, both have it.
    expect(await service.get('snap')).toMatchObject({ budget: 150, left: 150, topUps: { total: 1, latest: [{ id: 't1', budgetAdded: 50 }] } });
  });
});
