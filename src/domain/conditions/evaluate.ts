/**
 * Compiles the normalized AST into closures, once. Every decision that does
 * not depend on the facts (which operator, which fact path, whether a
 * literal is an ISO date) is taken here, so evaluation only reads and compares.
 */
import type { Cond, Val } from './ast';
import { contains, equals, memberOf, order, type Known } from './compare';
import { daysSince, monthDay, parseIso } from './dates';
import { decimalReading } from './decimal-reading';
import { factReader } from './facts';
import { printCond, printVal } from './print';
import { callStep, leafFn, NO_STEP, run, YES_STEP, type CondFn, type Step } from './program';
import { literalStep } from './specialized';
import type { FactContext } from './types';

export type ValFn = (ctx: FactContext) => unknown;
export type { CondFn };
export type AggVal = Extract<Val, { agg: unknown }>;

/** Registers an aggregate the condition reads and returns the key `FactContext.aggregate` answers to. */
export type AggregateRegistry = (v: AggVal) => string;

/** A compiled condition node, kept as a tree so `explain` can walk it. */
export interface Node {
  /** This node's result on its own (explain walks these; evaluation runs the linked steps). */
  fn: CondFn;
  /** A leaf's step (program.ts), linked into its condition's graph by `link`; null for all/any/not. */
  step: Step | null;
  kind: 'leaf' | 'all' | 'any' | 'not' | 'atLeast';
  children: Node[];
  /** For leaves: the text and the non-literal operands whose values a trace shows. */
  text: string;
  operands: Array<{ text: string; fn: ValFn }>;
  k?: number;
}

export function compileVal(v: Val, aggs: AggregateRegistry): ValFn {
  if ('lit' in v) {
    const value = v.lit;
    return () => value;
  }
  if ('list' in v) {
    const items = v.list.map((x) => compileVal(x, aggs));
    return (ctx) => items.map((f) => f(ctx));
  }
  if ('fact' in v) return factReader(v.fact);
  if ('fn' in v) {
    if (v.fn === 'now') return (ctx) => ctx.now;
    const arg = compileVal(v.args[0], aggs);
    if (v.fn === 'daysSince') return (ctx) => daysSince(arg(ctx), ctx.now, ctx.timezone);
    return (ctx) => monthDay(arg(ctx), ctx.timezone);
  }
  if ('agg' in v) {
    const key = aggs(v);
    // Nothing seen yet counts as zero for count/sum/distinct; min/max/avg of nothing stay null.
    if (v.agg === 'count' || v.agg === 'sum' || v.agg === 'distinct') {
      return (ctx) => {
        const x = ctx.aggregate(key);
        return typeof x === 'number' ? x : 0;
      };
    }
    return (ctx) => {
      const x = ctx.aggregate(key);
      return typeof x === 'number' ? x : null;
    };
  }
  const l = compileVal(v.left, aggs);
  const r = compileVal(v.right, aggs);
  const op = ARITH[v.arith];
  return (ctx) => {
    const a = l(ctx);
    const b = r(ctx);
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    const out = op(a, b);
    return Number.isFinite(out) ? out : null;
  };
}

/**
 * A value as a comparison, a trace or an expression's result reads it: a number computed from doubles (a `sum` or
 * `avg`, arithmetic) as the decimal it stands for (decimalReading), once, at the end: rounding each step on the way
 * would lose what the next one needs (`avg * count` of 50, 25 and 25 is 100, not 99.9999999999999).
 */
export function readVal(v: Val, aggs: AggregateRegistry): ValFn {
  const f = compileVal(v, aggs);
  if (!isComputed(v)) return f;
  return (ctx) => {
    const x = f(ctx);
    return typeof x === 'number' ? decimalReading(x, ctx) : x;
  };
}

function isComputed(v: Val): boolean {
  return 'arith' in v || ('agg' in v && (v.agg === 'sum' || v.agg === 'avg'));
}

const ARITH: Record<'+' | '-' | '*' | '/', (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  // Division by zero is "no value" (null), not Infinity.
  '/': (a, b) => (b === 0 ? NaN : a / b),
};

/** An operand for the comparison helpers; a literal is wrapped (and its ISO-ness parsed) once. */
function operand(v: Val, aggs: AggregateRegistry): (ctx: FactContext) => Known {
  if ('lit' in v) {
    const known: Known = { value: v.lit, iso: typeof v.lit === 'string' ? parseIso(v.lit) : null };
    return () => known;
  }
  const f = readVal(v, aggs);
  return (ctx) => ({ value: f(ctx) });
}

type Comparison = Extract<Cond, { op: unknown }>;

/** A comparison: the fast path for a value against a literal when there is one, else the generic one. */
function comparison(c: Comparison, aggs: AggregateRegistry): Step {
  return literalStep(c.op, c.left, c.right, (v) => readVal(v, aggs)) ?? callStep(genericComparison(c, aggs));
}

/** Any comparison: both operands wrapped as `Known` and handed to compare.ts. Exported for the tests that hold the fast paths to it. */
export function genericComparison(c: Comparison, aggs: AggregateRegistry): CondFn {
  const l = operand(c.left, aggs);
  const r = operand(c.right, aggs);
  const ordered = (test: (o: number) => boolean): CondFn => (ctx) => {
    const o = order(l(ctx), r(ctx), ctx.timezone);
    return o !== null && test(o);
  };
  switch (c.op) {
    case 'eq':
      return (ctx) => equals(l(ctx), r(ctx), ctx.timezone);
    case 'ne':
      return (ctx) => {
        const a = l(ctx);
        const b = r(ctx);
        // null compares false both ways: `x != 5` does not hold for a missing x.
        return a.value !== null && b.value !== null && !equals(a, b, ctx.timezone);
      };
    case 'gt':
      return ordered((o) => o > 0);
    case 'gte':
      return ordered((o) => o >= 0);
    case 'lt':
      return ordered((o) => o < 0);
    case 'lte':
      return ordered((o) => o <= 0);
    case 'in':
      return (ctx) => memberOf(l(ctx), r(ctx).value, ctx.timezone);
    case 'nin':
      return (ctx) => {
        const a = l(ctx);
        const list = r(ctx).value;
        return a.value !== null && Array.isArray(list) && !memberOf(a, list, ctx.timezone);
      };
    case 'contains':
      return (ctx) => contains(l(ctx).value, r(ctx), ctx.timezone);
    case 'startsWith':
      return (ctx) => {
        const a = l(ctx).value;
        const b = r(ctx).value;
        return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
      };
  }
}

function traced(v: Val, aggs: AggregateRegistry): Array<{ text: string; fn: ValFn }> {
  if ('lit' in v || ('list' in v && v.list.every((x) => 'lit' in x))) return [];
  return [{ text: printVal(v), fn: readVal(v, aggs) }];
}

export function compileCond(c: Cond, aggs: AggregateRegistry): Node {
  const text = printCond(c);
  const leaf = (step: Step, operands: Node['operands'] = []): Node => ({ fn: leafFn(step), step, kind: 'leaf', children: [], text, operands });
  if ('const' in c) {
    const value = c.const;
    return leaf(callStep(() => value));
  }
  if ('exists' in c) {
    const f = compileVal(c.exists, aggs);
    return leaf(callStep((ctx) => f(ctx) !== null), traced(c.exists, aggs));
  }
  if ('op' in c) return leaf(comparison(c, aggs), [...traced(c.left, aggs), ...traced(c.right, aggs)]);
  if ('not' in c) {
    const inner = compileCond(c.not, aggs);
    const f = inner.fn;
    return { fn: (ctx) => !f(ctx), step: null, kind: 'not', children: [inner], text, operands: [] };
  }
  if ('atLeast' in c) {
    const children = c.of.map((x) => compileCond(x, aggs));
    // Each child is a graph of its own; the atLeast is one CALL step of its parent's graph.
    const entries = children.map((n) => link(n, YES_STEP, NO_STEP));
    const k = c.atLeast;
    const fn: CondFn = (ctx) => {
      let hits = 0;
      for (let i = 0; i < entries.length; i++) {
        if (run(entries[i], ctx) && ++hits >= k) return true;
        // Stop early once the remaining ones could not reach k.
        if (hits + (entries.length - i - 1) < k) return false;
      }
      return false;
    };
    return { fn, step: callStep(fn), kind: 'atLeast', children, text, operands: [], k };
  }
  const isAll = 'all' in c;
  const children = (isAll ? c.all : c.any).map((x) => compileCond(x, aggs));
  const fns = children.map((n) => n.fn);
  const fn: CondFn = isAll
    ? (ctx) => {
        for (const f of fns) if (!f(ctx)) return false;
        return true;
      }
    : (ctx) => {
        for (const f of fns) if (f(ctx)) return true;
        return false;
      };
  return { fn, step: null, kind: isAll ? 'all' : 'any', children, text, operands: [] };
}

/**
 * Links a node's leaf steps into a graph whose every path ends at `yes` (the
 * node holds) or `no`, visiting the leaves in the order, and with the
 * short-circuits, of the tree: in `all`, a child's yes is the next child and
 * its no is the all's no; `any` the other way round; `not` swaps the two.
 * Returns the first step. Each leaf step is linked once (a node is linked once).
 */
export function link(node: Node, yes: Step, no: Step): Step {
  if (node.step !== null) {
    node.step.yes = yes;
    node.step.no = no;
    return node.step;
  }
  if (node.kind === 'not') return link(node.children[0], no, yes);
  const isAll = node.kind === 'all';
  let next = isAll ? yes : no;
  for (let i = node.children.length - 1; i >= 0; i--) next = isAll ? link(node.children[i], next, no) : link(node.children[i], yes, next);
  return next;
}
