/**
 * Builds the runtime objects (CompiledCondition, CompiledValue) from the
 * normalized AST: closures, trace tree, and the aggregates they read.
 */
import type { Cond, Val } from './ast';
import { compileCond, link, readVal, type AggVal, type AggregateRegistry, type Node } from './evaluate';
import { explainNode } from './explain';
import { printVal } from './print';
import { NO_STEP, run, YES_STEP, type Step } from './program';
import type { AggregateSpec, CompiledCondition, CompiledValue, ConditionTrace, FactContext } from './types';

/** Collects each distinct aggregate once; its printed text is its key, equal across conditions of a plan. */
function registry(): { register: AggregateRegistry; specs: () => AggregateSpec[] } {
  const specs = new Map<string, AggregateSpec>();
  const register = (v: AggVal): string => {
    const key = printVal(v);
    if (!specs.has(key)) {
      const spec: AggregateSpec = { key, fn: v.agg, eventType: v.type };
      if (v.property !== undefined) spec.property = v.property;
      if (v.filter !== undefined) spec.filter = buildCondition(v.filter);
      specs.set(key, spec);
    }
    return key;
  };
  return { register, specs: () => [...specs.values()] };
}

/**
 * One class for every compiled condition, with `evaluate` on its prototype:
 * a caller evaluating many conditions at one call site (a state's
 * transitions, a plan's steps) calls one function, which the optimiser can
 * inline, where a closure per condition made that call site megamorphic.
 */
class Condition implements CompiledCondition {
  /** The first step of the condition's graph (program.ts). */
  private readonly first: Step;

  constructor(
    readonly normalized: Cond,
    readonly text: string,
    readonly aggregates: readonly AggregateSpec[],
    private readonly root: Node,
  ) {
    this.first = link(root, YES_STEP, NO_STEP);
  }

  evaluate(ctx: FactContext): boolean {
    return run(this.first, ctx);
  }

  explain(ctx: FactContext): ConditionTrace {
    return explainNode(this.root, ctx);
  }
}

export function buildCondition(cond: Cond): CompiledCondition {
  const reg = registry();
  const root = compileCond(cond, reg.register);
  return new Condition(cond, root.text, reg.specs(), root);
}

export function buildValue(val: Val): CompiledValue {
  const reg = registry();
  const fn = readVal(val, reg.register);
  return { text: printVal(val), aggregates: reg.specs(), evaluate: fn, constant: readsNothing(val) };
}

/** Literals and arithmetic on them only: no fact, aggregate or time function. */
function readsNothing(val: Val): boolean {
  if ('lit' in val) return true;
  if ('list' in val) return val.list.every(readsNothing);
  if ('arith' in val) return readsNothing(val.left) && readsNothing(val.right);
  return false;
}

/** A condition used where a value is expected (a message data flag) evaluates to its boolean. */
export function buildConditionValue(cond: Cond): CompiledValue {
  const c = buildCondition(cond);
  return { text: c.text, aggregates: c.aggregates, evaluate: (ctx) => c.evaluate(ctx), staticType: 'boolean' };
}
