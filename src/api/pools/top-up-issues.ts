import { COUPON_BUDGET_WHOLE, MAX_POOL_BUDGET, TOO_LARGE_BUDGET, type PoolKind } from '../../domain/campaign/schema';
import type { DomainIssue } from '../../domain/issues';
import { newCodeIssues } from './pool-codes';
import type { PoolTopUp } from './pools.schemas';

/** What a top-up is checked against: the pool as it is, read under the top-up's lock. */
export interface PoolBeforeTopUp {
  key: string;
  kind: PoolKind;
  /** Null: unlimited. The store's numeric text (exact), or a number. */
  budget: string | number | null;
}

/**
 * Why this pool cannot take this top-up, by path; empty when it can. (Codes
 * the pool holds already are the store's to find.) A message reads on from
 * its path, as the CLI prints it: `budget cannot be added: ...`.
 */
export function topUpIssues(pool: PoolBeforeTopUp, topUp: PoolTopUp): DomainIssue[] {
  const issues: DomainIssue[] = [];
  if (topUp.budget !== undefined) {
    if (pool.budget === null) {
      issues.push({ path: 'budget', message: `cannot be added: pool "${pool.key}" is unlimited (it has no budget to add to)` });
    } else if (pool.kind === 'coupon' && !Number.isInteger(topUp.budget)) {
      issues.push({ path: 'budget', message: COUPON_BUDGET_WHOLE });
    } else {
      // Summed exactly, as the store adds in numeric: in doubles, 999999999999999 + 1.00000001 rounds to 10^15 and passes.
      const sum = addDecimals(toDecimal(pool.budget), toDecimal(topUp.budget));
      if (compareDecimals(sum, toDecimal(MAX_POOL_BUDGET)) > 0) {
        issues.push({ path: 'budget', message: `the budget would be ${formatDecimal(sum)}: ${TOO_LARGE_BUDGET}` });
      }
    }
  }
  for (const field of ['codes', 'generate'] as const) {
    if (topUp[field] !== undefined && pool.kind !== 'coupon') {
      issues.push({ path: field, message: `cannot be added: pool "${pool.key}" is a ${pool.kind} pool, and only coupon pools have codes` });
    }
  }
  return pool.kind === 'coupon' ? [...issues, ...newCodeIssues(topUp)] : issues;
}

/** An exact decimal: `digits` / 10^`scale`. */
interface Decimal {
  digits: bigint;
  scale: number;
}

/**
 * A number as the decimal it reads as (its shortest round-trip spelling, which
 * is what the store is sent), or a numeric's text. Both may carry an exponent.
 */
function toDecimal(value: string | number): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`not a decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.digits * 10n ** BigInt(scale - d.scale);
}

function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { digits: rescale(a, scale) + rescale(b, scale), scale };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const [x, y] = [rescale(a, scale), rescale(b, scale)];
  return x === y ? 0 : x > y ? 1 : -1;
}

/** Plain digits, no exponent, no trailing zeros after the point. */
function formatDecimal(d: Decimal): string {
  const negative = d.digits < 0n;
  const text = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  const whole = text.slice(0, text.length - d.scale);
  const fraction = text.slice(text.length - d.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
