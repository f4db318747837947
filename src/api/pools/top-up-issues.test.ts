import { topUpIssues, type PoolBeforeTopUp } from './top-up-issues';

const points: PoolBeforeTopUp = { key: 'pts', kind: 'points', budget: 100 };
const coupons: PoolBeforeTopUp = { key: 'cpn', kind: 'coupon', budget: 10 };

describe('topUpIssues', () => {
  it('takes budget for a limited pool, and codes for a coupon pool', () => {
    expect(topUpIssues(points, { budget: 0.5 })).toEqual([]);
    expect(topUpIssues(coupons, { budget: 5, generate: { pattern: 'A-###', count: 1000 } })).toEqual([]);
    expect(topUpIssues({ ...coupons, budget: null }, { codes: ['A', 'B'] })).toEqual([]);
  });

  it('refuses budget for an unlimited pool, and a part of a coupon', () => {
    expect(topUpIssues({ ...points, budget: null }, { budget: 5 })).toEqual([
      { path: 'budget', message: 'cannot be added: pool "pts" is unlimited (it has no budget to add to)' },
    ]);
    expect(topUpIssues(coupons, { budget: 1.5 })).toEqual([{ path: 'budget', message: "a coupon pool's budget counts coupons: a whole number" }]);
  });

  it('refuses a budget that would pass the most a pool holds', () => {
    expect(topUpIssues({ ...points, budget: 1e15 - 1 }, { budget: 1 })).toEqual([]);
    expect(topUpIssues({ ...points, budget: 1e15 - 1 }, { budget: 2 })).toEqual([
      { path: 'budget', message: "the budget would be 1000000000000001: at most 1,000,000,000,000,000, the most a pool's budget holds" },
    ]);
  });

  it('sums the budget exactly, as the store does: a sum a double rounds down to the most is still refused', () => {
    // In doubles 999999999999999 + 1.00000001 is exactly 1e15.
    expect(topUpIssues({ ...points, budget: 1e15 - 1 }, { budget: 1.00000001 })).toEqual([
      { path: 'budget', message: expect.stringMatching(/^the budget would be 1000000000000000\.00000001: at most /) },
    ]);
    // The store's numeric text is taken as it reads, digits a double would lose included.
    expect(topUpIssues({ ...points, budget: '999999999999999.000000000000000001' }, { budget: 1 })).toEqual([
      { path: 'budget', message: expect.stringMatching(/^the budget would be 1000000000000000\.000000000000000001: /) },
    ]);
    expect(topUpIssues({ ...points, budget: '999999999999998.5' }, { budget: 1.5 })).toEqual([]);
    expect(topUpIssues({ ...points, budget: '0' }, { budget: 1e-7 })).toEqual([]);
    expect(topUpIssues({ ...points, budget: 1e15 - 0.5 }, { budget: 0.7 })[0]?.message).toMatch(/^the budget would be 1000000000000000\.2: /);
  });

  it('refuses codes for points and credit pools, at their path', () => {
    expect(topUpIssues(points, { codes: ['A'] })).toEqual([{ path: 'codes', message: 'cannot be added: pool "pts" is a points pool, and only coupon pools have codes' }]);
    expect(topUpIssues({ ...points, kind: 'credit' }, { generate: { pattern: '#', count: 1 } }).map((i) => i.path)).toEqual(['generate']);
  });

  it('checks the codes themselves as creation does', () => {
    expect(topUpIssues(coupons, { codes: ['A', 'B', 'A'] })).toEqual([{ path: 'codes[2]', message: '"A" repeats codes[0]' }]);
    expect(topUpIssues(coupons, { generate: { pattern: 'A-#', count: 11 } }).map((i) => i.path)).toEqual(['generate.count']);
  });
});
