import { couponCodeIssues } from './pool-codes';

describe('couponCodeIssues', () => {
  it('says how many distinct codes a pattern spells, when fewer than asked', () => {
    const pool = (pattern: string, count: number) => ({ key: 'p', kind: 'coupon' as const, generate: { pattern, count } });
    expect(couponCodeIssues(pool('A-#', 11))).toEqual([{ path: 'generate.count', message: expect.stringMatching(/^the pattern spells only 10 distinct codes \(/) }]);
    expect(couponCodeIssues(pool('ONLY', 2))).toEqual([{ path: 'generate.count', message: expect.stringMatching(/^the pattern spells only 1 distinct code \(/) }]);
    expect(couponCodeIssues(pool('A-#', 10))).toEqual([]);
  });
});
