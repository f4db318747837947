/**
 * The value of a condition that holds, or fails, whatever it is checked
 * against: `true`, but also `"!false"`, `"1 == 1"`, `{ all: [true, true] }`.
 * The lowering folds only the literal `true`/`false`, and a check that asks
 * "does this always hold?" must not depend on how the operator spelled it.
 */
import type { CompiledCondition, FactContext, NormalizedCondition } from '../conditions';
import { parseIso } from '../conditions/dates';
import { conditionNodes, type ConditionNode } from '../conditions/walk';

/**
 * What a condition that reads nothing is evaluated against. It reads none of
 * it; the zone is set all the same, since comparisons take one.
 */
const NOTHING: FactContext = {
  event: null,
  user: {},
  journey: { enteredAt: null, stateEnteredAt: null, entries: 0 },
  now: 0,
  timezone: 'UTC',
  aggregate: () => null,
};

/**
 * The condition's value when it reads no fact, aggregate or time function
 * (so it is the same on every check); undefined when it may vary, or there
 * is no condition.
 */
export function constantValue(condition: CompiledCondition | null): boolean | undefined {
  if (condition === null || !readsNothing(condition.normalized)) return undefined;
  return condition.evaluate(NOTHING);
}

/** Whether the condition is the same on every check (see constantValue). */
function readsNothing(cond: NormalizedCondition): boolean {
  for (const node of conditionNodes(cond, false)) if (mayVary(node)) return false;
  return true;
}

/**
 * A fact, an aggregate or a time function varies; so may a date written as
 * text: one without an offset is read in the campaign's zone, so a
 * comparison with it can depend on that zone.
 */
function mayVary(node: ConditionNode): boolean {
  if (!('val' in node)) return false;
  const val = node.val;
  if ('fact' in val || 'agg' in val || 'fn' in val) return true;
  return 'lit' in val && typeof val.lit === 'string' && parseIso(val.lit) !== null;
}

/** A rule that takes every event of its type: written without `if`, or with one that always holds (`if: true`, `"1 == 1"`). */
export function takesEvery(written: unknown, condition: CompiledCondition | null): boolean {
  return written === undefined || constantValue(condition) === true;
}
