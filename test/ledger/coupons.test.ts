import { issueInput, count, startLedger, type LedgerFixture } from './ledger-fixture';

describe('coupon pools', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  it('200 concurrent issues over 50 codes never hand one code twice', async () => {
    const codes = Array.from({ length: 50 }, (_, i) => `C-${String(i).padStart(3, '0')}`);
    await f.createPool({ key: 'cpn-50', kind: 'coupon', codes });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-50' }, { userId: `u-${i}` }))),
    );
    const handed = results.flatMap((r) => (r.outcome === 'issued' ? [r.reward.code] : []));
    expect(handed).toHaveLength(50);
    expect(new Set(handed).size).toBe(50);
    expect([...handed].sort()).toEqual(codes);
    expect(results.filter((r) => r.outcome === 'exhausted' && r.reason === 'noCodes')).toHaveLength(150);
    // Each code row points at the one reward that holds it.
    expect(
      await count(
        f.ds,
        `select count(*) from coupon_codes c join rewards r on r.id = c.reward_id and r.code = c.code where c.pool_key = 'cpn-50' and c.state = 'issued'`,
      ),
    ).toBe(50);
    expect(await f.pools.find('cpn-50')).toMatchObject({ budget: null, used: 50, left: null, codes: { total: 50, issued: 50, left: 0 } });
  });

  it('a coupon budget below the number of codes stops at the budget', async () => {
    await f.createPool({ key: 'cpn-budget', kind: 'coupon', budget: 10, codes: Array.from({ length: 100 }, (_, i) => `B-${i}`) });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-budget' }, { userId: `u-${i}` }))),
    );
    expect(results.filter((r) => r.outcome === 'issued')).toHaveLength(10);
    expect(await f.pools.find('cpn-budget')).toMatchObject({ budget: 10, used: 10, left: 0, codes: { total: 100, issued: 10, left: 90 } });
  });

  it('imported codes go out in their given order', async () => {
    await f.createPool({ key: 'cpn-order', kind: 'coupon', codes: ['Z', 'A', 'M'] });
    const out: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const r = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-order' }));
      out.push(r.outcome === 'issued' ? r.reward.code : null);
    }
    expect(out).toEqual(['Z', 'A', 'M']);
  });

  it('generated codes follow the pattern, are distinct, and all of them can be issued', async () => {
    await f.createPool({ key: 'cpn-gen', kind: 'coupon', generate: { pattern: 'SAVE-####-????', count: 25_000 }, validFor: 'P30D' });
    expect((await f.pools.find('cpn-gen'))?.codes).toEqual({ total: 25_000, issued: 0, left: 25_000, voided: 0 });
    expect(await count(f.ds, `select count(distinct code) from coupon_codes where pool_key = 'cpn-gen' and code ~ '^SAVE-[0-9]{4}-[A-Z]{4}$'`)).toBe(25_000);
    const r = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-gen' }));
    expect(r).toMatchObject({ outcome: 'issued', reward: { code: expect.stringMatching(/^SAVE-\d{4}-[A-Z]{4}$/) } });
  });
});
