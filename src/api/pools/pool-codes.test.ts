import { couponCodeIssues, NAMED_REPEATS, newCodeIssues } from './pool-codes';

describe('couponCodeIssues', () => {
  it('says how many distinct codes a pattern spells, when fewer than asked', () => {
    const pool = (pattern: string, count: number) => ({ key: 'p', kind: 'coupon' as const, generate: { pattern, count } });
    expect(couponCodeIssues(pool('A-#', 11))).toEqual([{ path: 'generate.count', message: expect.stringMatching(/^the pattern spells only 10 distinct codes \(/) }]);
    expect(couponCodeIssues(pool('ONLY', 2))).toEqual([{ path: 'generate.count', message: expect.stringMatching(/^the pattern spells only 1 distinct code \(/) }]);
    expect(couponCodeIssues(pool('A-#', 10))).toEqual([]);
  });
});

describe('newCodeIssues', () => {
  it('names each repeated code by path, the first hundred of them, then counts the rest', () => {
    expect(newCodeIssues({ codes: ['A', 'B', 'A', 'C', 'B'] })).toEqual([
      { path: 'codes[2]', message: '"A" repeats codes[0]' },
      { path: 'codes[4]', message: '"B" repeats codes[1]' },
    ]);
    // A body of one code repeated: an answer of 101 issues, not one per repeat.
    const issues = newCodeIssues({ codes: Array<string>(5000).fill('SAME') });
    expect(issues).toHaveLength(NAMED_REPEATS + 1);
    expect(issues[NAMED_REPEATS - 1]).toEqual({ path: `codes[${NAMED_REPEATS}]`, message: '"SAME" repeats codes[0]' });
    expect(issues[NAMED_REPEATS]).toEqual({ path: 'codes', message: `and ${4999 - NAMED_REPEATS} more repeated codes` });
  });
});
