import { codeCursor, generateCodes, parseCodePattern, randomScatter } from './code-pattern';

const all = (pattern: string, count: number, scatter = randomScatter(parseCodePattern(pattern).capacity)) =>
  [...generateCodes(parseCodePattern(pattern), count, scatter, 7)].flat();

describe('generated coupon codes', () => {
  it('fills # with digits and ? with letters, keeping the rest', () => {
    const codes = all('SAVE-####-????', 500);
    expect(codes).toHaveLength(500);
    for (const c of codes) expect(c).toMatch(/^SAVE-\d{4}-[A-Z]{4}$/);
  });

  it("uses the schema's X and 9 when the pattern has no # or ?", () => {
    expect(parseCodePattern('XMAS-99').capacity).toBe(36n * 100n);
    for (const c of all('XMAS-99', 50)) expect(c).toMatch(/^[A-Z0-9]MAS-\d\d$/);
  });

  it('never repeats a code, even when the count is the whole capacity', () => {
    const codes = all('??-#', 26 * 26 * 10);
    expect(new Set(codes).size).toBe(26 * 26 * 10);
  });

  it('is deterministic for a given scatter, and scattered rather than sequential', () => {
    const scatter = { a: 7_919n, b: 123n };
    expect(all('####', 20, scatter)).toEqual(all('####', 20, scatter));
    const codes = all('######', 1000, randomScatter(1_000_000n)).map(Number);
    const ascending = codes.every((c, i) => i === 0 || c > codes[i - 1]);
    expect(ascending).toBe(false);
  });

  it('refuses a count beyond what the pattern can spell', () => {
    expect(() => all('#', 11, { a: 1n, b: 0n })).toThrow('only 10 codes');
  });

  it('a pattern without placeholders spells exactly one code', () => {
    expect(parseCodePattern('WELCOME').capacity).toBe(1n);
    expect(all('WELCOME', 1)).toEqual(['WELCOME']);
  });

  it('a cursor spells every code once in any takes, then nothing more', () => {
    const cursor = codeCursor(parseCodePattern('A-#'), { a: 3n, b: 4n });
    const taken = [...cursor.next(4), ...cursor.next(5), ...cursor.next(5)];
    expect(taken).toHaveLength(10);
    expect(new Set(taken).size).toBe(10);
    expect(cursor.next(1)).toEqual([]);
  });
});
