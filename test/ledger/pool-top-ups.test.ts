import { PoolTopUpsRepository, type PoolAddition } from '../../src/store/repositories/pool-top-ups.repository';
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
});
