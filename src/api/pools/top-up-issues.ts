import { COUPON_BUDGET_WHOLE, MAX_POOL_BUDGET, TOO_LARGE_BUDGET, type PoolKind } from '../../domain/campaign/schema';
import type { DomainIssue } from '../../domain/issues';
import { newCodeIssues } from './pool-codes';
import type { PoolTopUp } from './pools.schemas';

/** What a top-up is checked against: the pool as it is, read under the top-up's lock. */
export interface PoolBeforeTopUp {
  key: string;
  kind: PoolKind;
  /** Null: unlimited. */
  budget: number | null;
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
    } else if (pool.budget + topUp.budget > MAX_POOL_BUDGET) {
      issues.push({ path: 'budget', message: `the budget would be ${pool.budget + topUp.budget}: ${TOO_LARGE_BUDGET}` });
    }
  }
  for (const field of ['codes', 'generate'] as const) {
    if (topUp[field] !== undefined && pool.kind !== 'coupon') {
      issues.push({ path: field, message: `cannot be added: pool "${pool.key}" is a ${pool.kind} pool, and only coupon pools have codes` });
    }
  }
  return pool.kind === 'coupon' ? [...issues, ...newCodeIssues(topUp)] : issues;
}
