/**
 * Every node of a normalized condition, depth first, for checks that look
 * for something in it (literal-issues.ts, facts-read.ts).
 */
import type { Cond, Val } from './ast';

export type ConditionNode = { cond: Cond } | { val: Val };

/** `intoFilters`: also the nodes of aggregates' filters (which read the counted events, not the one at hand). */
export function* conditionNodes(cond: Cond, intoFilters: boolean): Generator<ConditionNode> {
  yield { cond };
  if ('all' in cond) for (const c of cond.all) yield* conditionNodes(c, intoFilters);
  else if ('any' in cond) for (const c of cond.any) yield* conditionNodes(c, intoFilters);
  else if ('not' in cond) yield* conditionNodes(cond.not, intoFilters);
  else if ('atLeast' in cond) for (const c of cond.of) yield* conditionNodes(c, intoFilters);
  else if ('exists' in cond) yield* valueNodes(cond.exists, intoFilters);
  else if ('op' in cond) {
    yield* valueNodes(cond.left, intoFilters);
    yield* valueNodes(cond.right, intoFilters);
  }
}

function* valueNodes(val: Val, intoFilters: boolean): Generator<ConditionNode> {
  yield { val };
  if ('list' in val) for (const v of val.list) yield* valueNodes(v, intoFilters);
  else if ('arith' in val) {
    yield* valueNodes(val.left, intoFilters);
    yield* valueNodes(val.right, intoFilters);
  } else if ('fn' in val) for (const v of val.args) yield* valueNodes(v, intoFilters);
  else if ('agg' in val && val.filter && intoFilters) yield* conditionNodes(val.filter, intoFilters);
}
