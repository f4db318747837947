import { codeCursor, generateCodes, parseCodePattern, randomCodeKey, type CodeKey } from './code-pattern';

const all = (pattern: string, count: number, key: CodeKey = randomCodeKey()) => [...generateCodes(parseCodePattern(pattern), count, key, 7)].flat();

/** Every code the cursor spells, taken in ragged batches until it has none left. */
function walk(pattern: string): string[] {
  const cursor = codeCursor(parseCodePattern(pattern), randomCodeKey());
  const taken: string[] = [];
  for (let n = 1; ; n = (n % 7) + 1) {
    const batch = cursor.next(n);
    if (batch.length === 0) return taken;
    taken.push(...batch);
  }
}

/** The number a code spells: the mixed-radix reading of its placeholders, the last varying fastest. */
function numberOf(pattern: string, code: string): bigint {
  return parseCodePattern(pattern).slots.reduce((n, s, i) => (typeof s === 'string' ? n : n * BigInt(s.alphabet.length) + BigInt(s.alphabet.indexOf(code[i]))), 0n);
}

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

  it('keeps literals outside Latin-1 and beyond one UTF-16 unit', () => {
    for (const c of all('CAFÉ-€-🎁-##', 100)) expect(c).toMatch(/^CAFÉ-€-🎁-\d\d$/u);
    expect(new Set(all('CAFÉ-€-🎁-##', 100)).size).toBe(100);
  });

  it('never repeats a code, even when the count is the whole capacity', () => {
    const codes = all('??-#', 26 * 26 * 10);
    expect(new Set(codes).size).toBe(26 * 26 * 10);
  });

  it('never repeats a code in a large batch, whatever the width of the pattern', () => {
    // Below 2^53, below 2^96 (halves of three words), and over 2^256 (F stretched past one block).
    for (const [pattern, count, shape] of [
      ['SAVE-####-????', 200_000, /^SAVE-\d{4}-[A-Z]{4}$/],
      ['XXXX-XXXX-XXXX-XXXX', 50_000, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/],
      ['X'.repeat(100), 20_000, /^[A-Z0-9]{100}$/],
    ] as const) {
      const codes = [...generateCodes(parseCodePattern(pattern), count, randomCodeKey())].flat();
      expect(new Set(codes).size).toBe(count);
      expect(codes.filter((c) => !shape.test(c))).toEqual([]);
    }
  });

  it('is a bijection: a cursor spells every code once in any takes, then nothing more', () => {
    const tiny = walk('A-#');
    expect([...tiny].sort()).toEqual(['A-0', 'A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-7', 'A-8', 'A-9']);
    for (const pattern of ['#', '?', '#?', '??-#', '???']) {
      const codes = walk(pattern);
      expect(codes).toHaveLength(Number(parseCodePattern(pattern).capacity));
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it('a pattern without placeholders spells exactly one code', () => {
    expect(parseCodePattern('ONLY').capacity).toBe(1n);
    expect(walk('ONLY')).toEqual(['ONLY']);
    expect(all('WELCOME', 1)).toEqual(['WELCOME']);
  });

  it('is deterministic for a given key, and another key gives another order', () => {
    const key = new Uint8Array(32).fill(7);
    expect(all('SAVE-####-????', 50, key)).toEqual(all('SAVE-####-????', 50, key));
    expect(all('X'.repeat(30), 50, key)).toEqual(all('X'.repeat(30), 50, key));
    expect(all('SAVE-####-????', 50)).not.toEqual(all('SAVE-####-????', 50));
    const codes = all('######', 1000).map(Number);
    expect(codes.every((c, i) => i === 0 || c > codes[i - 1])).toBe(false);
  });

  it('two codes do not predict the third: the walk is no arithmetic sequence', () => {
    // Under (a·i + b) mod N the third number is always 2·second − first. Here a match is chance: about 1 in N.
    const predicted: Record<string, number> = {};
    for (const pattern of ['XXXX-XXXX-XXXX', '????-????-????-????-????']) {
      const { capacity } = parseCodePattern(pattern);
      predicted[pattern] = 0;
      for (let generation = 0; generation < 20; generation++) {
        const [first, second, third] = all(pattern, 3).map((c) => numberOf(pattern, c));
        if ((((2n * second - first) % capacity) + capacity) % capacity === third) predicted[pattern]++;
      }
    }
    expect(Object.entries(predicted).filter(([, n]) => n >= 2)).toEqual([]);
  });

  it('spreads codes evenly over every placeholder and every first pick', () => {
    const codes = all('SAVE-####-????', 20_000);
    for (const [at, alphabet] of [
      [5, '0123456789'],
      [8, '0123456789'],
      [10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
      [13, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ] as const) {
      const expected = codes.length / alphabet.length;
      for (const ch of alphabet) {
        const seen = codes.filter((c) => c[at] === ch).length;
        expect(Math.abs(seen - expected)).toBeLessThan(expected * 0.3);
      }
    }
    // The first code of a generation is any of the pattern's codes, evenly.
    const firsts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const [first] = codeCursor(parseCodePattern('A-#'), randomCodeKey()).next(1);
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect(firsts.size).toBe(10);
    for (const n of firsts.values()) expect(n).toBeGreaterThan(100);
  });

  it('refuses a count beyond what the pattern can spell', () => {
    expect(() => all('#', 11)).toThrow('only 10 codes');
  });
});
