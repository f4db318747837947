import { queryCount } from './query-count';

describe('queryCount', () => {
  it('takes 1 to max as text, and refuses everything else with one message', () => {
    const limit = queryCount(500);
    expect(['1', '42', '500'].map((v) => limit.parse(v))).toEqual([1, 42, 500]);
    for (const bad of ['0', '501', '999', '1000', '-1', '+5', '1.5', '1e2', ' 5', '', '05']) {
      expect(limit.safeParse(bad).error?.issues.map((i) => i.message)).toEqual(['expected a whole number from 1 to 500']);
    }
    expect(queryCount(100, 'expected a page size from 1 to 100').safeParse('101').error?.issues[0].message).toBe('expected a page size from 1 to 100');
    expect(queryCount(10_000).parse('10000')).toBe(10_000);
  });
});
