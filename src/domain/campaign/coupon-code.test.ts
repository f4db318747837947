import { MAX_LISTED_ISSUES } from '../issues';
import { codeTextProblem, CouponCodeList, shownText } from './coupon-code';

describe('codeTextProblem: a code is visible, composed text, compared exactly', () => {
  it('takes codes a person reads as they are, inner spaces and non-ASCII letters included', () => {
    for (const code of ['A1', 'SAVE-10', 'a1', 'SAVE 10', 'É1', 'ÄÖÜ-ß', '日本-01', '🎉-1', '-', 'x'.repeat(200)]) {
      expect([code, codeTextProblem(code)]).toEqual([code, null]);
    }
  });

  it('refuses control and format characters anywhere, naming the character and showing it escaped', () => {
    expect(codeTextProblem('A1\r')).toBe(
      '"A1\\r" holds U+000D, a control or invisible format character: codes are handed out and compared exactly as sent, so a code may not hold one',
    );
    for (const [code, named] of [
      ['A\t1', 'U+0009'],
      ['A1\n', 'U+000A'],
      ['A\u007f1', 'U+007F'],
      ['A\u00851', 'U+0085'],
      ['B\u200b', 'U+200B'],
      ['\ufeffA1', 'U+FEFF'],
      ['A\u200d1', 'U+200D'],
      ['A\u202e1', 'U+202E'],
      ['A\u20601', 'U+2060'],
      ['A\u{e0041}1', 'U+E0041'],
      ['A\u20281', 'U+2028'],
      ['A\u2029', 'U+2029'],
    ]) {
      expect(codeTextProblem(code)).toContain(` holds ${named}, `);
    }
    expect(codeTextProblem('B\u200b')).toMatch(/^"B\\u200b" holds/);
    expect(codeTextProblem('A\u{e0041}1')).toMatch(/^"A\\udb40\\udc411" holds/);
  });

  it('refuses leading and trailing whitespace, and says which rule a pattern broke in its own words', () => {
    expect(codeTextProblem(' A2')).toBe('" A2" starts or ends with whitespace: codes are handed out and compared exactly as sent, so a code may not (send it trimmed)');
    expect(codeTextProblem('A2 ')).toMatch(/starts or ends with whitespace/);
    expect(codeTextProblem('\u00a0A2')).toMatch(/^"\\u00a0A2" starts or ends with whitespace/);
    expect(codeTextProblem('A2\u3000')).toMatch(/starts or ends with whitespace/);
    expect(codeTextProblem(' ')).toMatch(/starts or ends with whitespace/);
    expect(codeTextProblem(' SAVE-####', 'a pattern')).toMatch(/so a pattern may not \(send it trimmed\)$/);
  });

  it('refuses text not in NFC, showing both spellings', () => {
    expect(codeTextProblem('E\u03011')).toBe(
      '"E\\u03011" is not in Unicode normalization form C (NFC): codes are handed out and compared exactly as sent, so a code is sent composed ("\u00c91")',
    );
    expect(codeTextProblem('\u212b')).toMatch(/not in Unicode normalization form C/); // the angstrom sign, whose NFC is Å
    expect(codeTextProblem('\u00c51')).toBeNull();
  });

  it('leaves NUL and lone surrogates to the storable-text rule, which names them at the same path', () => {
    expect(codeTextProblem('nul\u0000')).toBeNull();
    expect(codeTextProblem('x\ud800')).toBeNull();
  });

  it('shows every character of the text', () => {
    expect(shownText('a\u200bb\u00a0c d\r')).toBe('"a\\u200bb\\u00a0c d\\r"');
    expect(shownText('E\u0301', true)).toBe('"E\\u0301"');
    expect(shownText('E\u0301')).toBe('"E\u0301"');
  });

  it('is the schema of a list of codes: 1 to 200 characters each, and the rule, at each code\'s index', () => {
    expect(CouponCodeList.safeParse(['A1', 'A2']).success).toBe(true);
    expect(CouponCodeList.safeParse(['A1', 'A1\r']).error?.issues).toEqual([expect.objectContaining({ code: 'custom', path: [1], message: expect.stringMatching(/holds U\+000D/) })]);
    expect(CouponCodeList.safeParse(['']).success).toBe(false);
    expect(CouponCodeList.safeParse(['x'.repeat(201)]).success).toBe(false);
    expect(CouponCodeList.safeParse([]).success).toBe(false);
  });

  it('names the first hundred refused codes and counts the rest: a body of bad codes gets an answer of bounded size', () => {
    const codes = Array.from({ length: 5000 }, (_, i) => `A${i}\r`);
    const issues = CouponCodeList.safeParse(['OK', ...codes]).error!.issues;
    expect(issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(issues[MAX_LISTED_ISSUES - 1].path).toEqual([MAX_LISTED_ISSUES]);
    expect(issues[MAX_LISTED_ISSUES]).toMatchObject({ path: [], message: `and ${5000 - MAX_LISTED_ISSUES} more codes refused for their text, not listed: mend these first` });
  });
});
