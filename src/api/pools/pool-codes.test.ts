import { parseRewardPool } from '../../domain/campaign/schema';
import { zodIssues } from '../common/zod-input';
import { couponCodeIssues, NAMED_REPEATS, newCodeIssues } from './pool-codes';
import { PoolTopUp } from './pools.schemas';

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

describe('codes and patterns a person cannot tell apart from another are refused at their path, never normalised', () => {
  it('POST /v1/pools: each code with a control or format character, outer whitespace or not in NFC, at codes[i]', () => {
    const r = parseRewardPool({ key: 'p', kind: 'coupon', codes: ['A1\r', ' A2', 'B\u200b', 'E\u0301', 'OK', 'inner space', '\ufeffBOM'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => [i.path, i.message.replace(/:.*/, '')])).toEqual([
      ['codes[0]', '"A1\\r" holds U+000D, a control or invisible format character'],
      ['codes[1]', '" A2" starts or ends with whitespace'],
      ['codes[2]', '"B\\u200b" holds U+200B, a control or invisible format character'],
      ['codes[3]', '"E\\u0301" is not in Unicode normalization form C (NFC)'],
      ['codes[6]', '"\\ufeffBOM" holds U+FEFF, a control or invisible format character'],
    ]);
  });

  it('POST /v1/pools/:key/top-up: the same rule, the same paths', () => {
    const r = PoolTopUp.safeParse({ codes: ['A1 ', 'A2'] });
    expect(r.success).toBe(false);
    expect(zodIssues(r.error!)).toEqual([{ path: 'codes[0]', message: expect.stringMatching(/^"A1 " starts or ends with whitespace/) }]);
    expect(PoolTopUp.safeParse({ codes: ['A1', 'A2'] }).success).toBe(true);
  });

  it('a pattern with outer whitespace, a control or format character, or not in NFC, at generate.pattern, on create and top-up', () => {
    for (const pattern of [' SAVE-####', 'SAVE-####\n', 'SAVE\u200b-####', 'E\u0301-####']) {
      const created = parseRewardPool({ key: 'p', kind: 'coupon', generate: { pattern, count: 1 } });
      expect(!created.ok && created.issues.map((i) => i.path)).toEqual(['generate.pattern']);
      expect(!created.ok && created.issues[0].message).toMatch(/so a pattern (may not|is sent composed)/);
      const topUp = PoolTopUp.safeParse({ generate: { pattern, count: 1 } });
      expect(zodIssues(topUp.error!).map((i) => i.path)).toEqual(['generate.pattern']);
    }
    expect(parseRewardPool({ key: 'p', kind: 'coupon', generate: { pattern: 'SAVE 10-####', count: 1 } }).ok).toBe(true);
  });

  it('a combining mark right after a placeholder is refused: the codes spelled there would not be in NFC', () => {
    // `?\u0301` is NFC (nothing composes ? and an acute), but the code E\u0301 it spells is not.
    expect('?\u0301'.normalize('NFC')).toBe('?\u0301');
    expect(newCodeIssues({ generate: { pattern: 'A-?\u0301', count: 1 } })).toEqual([
      { path: 'generate.pattern', message: expect.stringMatching(/^U\+0301 is a combining mark right after a placeholder/) },
    ]);
    expect(newCodeIssues({ generate: { pattern: 'X\u0301', count: 1 } }).map((i) => i.path)).toEqual(['generate.pattern']);
    // After a literal it is part of the pattern's own (NFC) text: the schema's to judge.
    expect(newCodeIssues({ generate: { pattern: '\u0915\u093f-#', count: 1 } })).toEqual([]);
  });
});
