import { codePointName } from '../../domain/campaign/coupon-code';
import type { RewardPool } from '../../domain/campaign/schema';
import type { DomainIssue } from '../../domain/issues';
import { parseCodePattern, type CodePattern } from '../../store/ledger/code-pattern';

/** Codes a request brings: imported, or generated from a pattern. */
export interface NewCodes {
  codes?: string[];
  generate?: { pattern: string; count: number };
}

/**
 * What the schema cannot see about a coupon pool's codes: that it has some,
 * that imported codes are distinct, and that a pattern can spell `count`
 * distinct codes.
 */
export function couponCodeIssues(pool: RewardPool): DomainIssue[] {
  if (pool.kind !== 'coupon') return [];
  if (!pool.codes && !pool.generate) return [{ path: 'codes', message: 'a coupon pool needs `codes` or `generate`' }];
  return newCodeIssues(pool);
}

/**
 * Repeats named by path before the rest are counted: a body of one code
 * repeated a million times would otherwise answer a 400 many times its size.
 */
export const NAMED_REPEATS = 100;

/** Imported codes are distinct, and a pattern spells `count` distinct codes, each in NFC (see markAfterPlaceholder). */
export function newCodeIssues(add: NewCodes): DomainIssue[] {
  const issues: DomainIssue[] = [];
  if (add.codes) {
    const first = new Map<string, number>();
    let repeats = 0;
    add.codes.forEach((code, i) => {
      const seen = first.get(code);
      if (seen === undefined) first.set(code, i);
      else if (++repeats <= NAMED_REPEATS) issues.push({ path: `codes[${i}]`, message: `"${code}" repeats codes[${seen}]` });
    });
    if (repeats > NAMED_REPEATS) issues.push({ path: 'codes', message: `and ${repeats - NAMED_REPEATS} more repeated codes` });
  }
  if (add.generate) {
    const { slots, capacity } = parseCodePattern(add.generate.pattern);
    const joined = markAfterPlaceholder(slots);
    if (joined !== null) {
      issues.push({
        path: 'generate.pattern',
        message: `${joined} is a combining mark right after a placeholder: it would join the letter or digit drawn there (E and U+0301 read as É), so the codes would not be in Unicode NFC, and codes are compared exactly as sent; put a literal between them`,
      });
    }
    if (BigInt(add.generate.count) > capacity) {
      issues.push({
        path: 'generate.count',
        message: `the pattern spells only ${capacity} distinct ${capacity === 1n ? 'code' : 'codes'} (# is a digit, ? a letter; without those, X is a letter or digit and 9 a digit)`,
      });
    }
  }
  return issues;
}

/**
 * The combining mark (`U+0301`) that follows a placeholder in a pattern, or
 * null. The pattern's own text is checked to be NFC by the schema, but `?\u0301`
 * is NFC (no character composes `?` and an acute) while the code `E\u0301` it
 * spells is not: it composes to `É`.
 */
function markAfterPlaceholder(slots: CodePattern['slots']): string | null {
  for (let i = 1; i < slots.length; i++) {
    const slot = slots[i];
    if (typeof slots[i - 1] !== 'string' && typeof slot === 'string' && /^\p{M}/u.test(slot)) {
      return codePointName(slot);
    }
  }
  return null;
}
