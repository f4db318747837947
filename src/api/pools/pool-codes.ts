import type { RewardPool } from '../../domain/campaign/schema';
import type { DomainIssue } from '../../domain/issues';
import { parseCodePattern } from '../../store/ledger/code-pattern';

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

/** Imported codes are distinct, and a pattern can spell `count` distinct codes. */
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
    const { capacity } = parseCodePattern(add.generate.pattern);
    if (BigInt(add.generate.count) > capacity) {
      issues.push({
        path: 'generate.count',
        message: `the pattern spells only ${capacity} distinct ${capacity === 1n ? 'code' : 'codes'} (# is a digit, ? a letter; without those, X is a letter or digit and 9 a digit)`,
      });
    }
  }
  return issues;
}
