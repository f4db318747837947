/**
 * Fast paths for the most common leaf: a value compared with a literal
 * (`event.price >= 20`, `user.tier in ['gold']`, `event.tags contains 'gift'`).
 * Which operator, what kind of literal and where the value comes from are
 * known at compile time, so each case becomes a leaf `Step` (step.ts) whose
 * op names exactly the test that case needs, and `testLeaf` runs it: no
 * per-evaluation allocation, no closure call for a one-key event property or
 * user attribute. Each computes exactly what the generic comparison in
 * evaluate.ts computes for that shape (fast-paths.test.ts holds the two to
 * each other on arbitrary values); the reasoning for each shortcut is beside
 * it. Anything else gets `null`: the generic path.
 */
import type { Literal, Val } from './ast';
import { isoToEpoch, parseIso } from './dates';
import { factReader, plainKey } from './facts';
import { At, Op, Order, Step, testLeaf, type CondFn, type Read } from './program';
import type { CmpOp } from './syntax';

// ---- where the value comes from ----

/** A one-key event property or user attribute is read inline (`testLeaf`); anything else through its compiled reader. */
function leaf(op: number, left: Val, compile: (v: Val) => Read): Step {
  const s = new Step(op);
  if ('fact' in left) {
    const [root, key, ...rest] = left.fact.split('.');
    // Only `event.<property>` (not the event's own type/id/occurredAt) and `user.<attribute>`.
    const own = rest.length === 0 && (root === 'user' || (root === 'event' && key !== 'type' && key !== 'id' && key !== 'occurredAt'));
    if (own) {
      s.at = root === 'user' ? At.USER : At.EVENT;
      s.key = key;
      s.plain = plainKey(key);
      s.read = factReader(left.fact);
      return s;
    }
  }
  s.at = At.OTHER;
  s.read = compile(left);
  return s;
}

// ---- what the literal is ----

/**
 * - `plain`: a string that is not an ISO date. Against it only an identical
 *   string is equal, and only strings order (code-unit order): a number meets
 *   a string only when the string is a date.
 * - `stamp`: a UTC timestamp `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm`); see `sameStampShape` (program.ts).
 * - `number`, `boolean`; other ISO forms (offsets, wall-clock dates) take the generic path.
 */
type LiteralKind = 'number' | 'boolean' | 'plain' | 'stamp' | 'other';

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function kindOf(lit: Literal): LiteralKind {
  if (typeof lit === 'number') return 'number';
  if (typeof lit === 'boolean') return 'boolean';
  if (typeof lit !== 'string') return 'other';
  if (parseIso(lit) === null) return 'plain';
  return STAMP.test(lit) ? 'stamp' : 'other';
}

// ---- compiling a leaf ----

const ORDER = {
  number: { gt: Op.NUM_GT, gte: Op.NUM_GTE, lt: Op.NUM_LT, lte: Op.NUM_LTE },
  plain: { gt: Op.STR_GT, gte: Op.STR_GTE, lt: Op.STR_LT, lte: Op.STR_LTE },
  stamp: { gt: Op.STAMP_GT, gte: Op.STAMP_GTE, lt: Op.STAMP_LT, lte: Op.STAMP_LTE },
} as const;
const CMP = { gt: Order.GT, gte: Order.GTE, lt: Order.LT, lte: Order.LTE } as const;

/** A comparison of `left` with the literal `right` as a leaf step; null when no fast path applies. */
export function literalStep(op: CmpOp, left: Val, right: Val, compile: (v: Val) => Read): Step | null {
  if ('list' in right) return op === 'in' || op === 'nin' ? membership(op, left, right.list, compile) : null;
  if (!('lit' in right) || right.lit === null) return null;
  const lit = right.lit;
  const kind = kindOf(lit);
  if (kind === 'other') return null;
  const code = ((): number | null => {
    switch (op) {
      case 'eq':
      case 'ne':
        if (kind === 'plain' || kind === 'boolean') return op === 'eq' ? Op.SAME_EQ : Op.SAME_NE;
        if (kind === 'number') return op === 'eq' ? Op.NUM_EQ : Op.NUM_NE;
        return op === 'eq' ? Op.STAMP_EQ : Op.STAMP_NE;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return kind === 'boolean' ? null : ORDER[kind][op];
      case 'contains':
        return kind === 'plain' ? Op.CONTAINS : null;
      case 'startsWith':
        return typeof lit === 'string' ? Op.STARTS_WITH : null;
      default:
        return null;
    }
  })();
  if (code === null) return null;
  const s = leaf(code, left, compile);
  s.lit = lit;
  if (typeof lit === 'string') s.str = lit;
  if (typeof lit === 'number') s.num = lit;
  // The generic answers, for the values a shortcut does not decide (an ISO string meeting a number ...).
  s.known = { value: lit, iso: typeof lit === 'string' ? parseIso(lit) : null };
  if (kind === 'stamp') s.num = isoToEpoch(s.known.iso!, undefined);
  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') s.cmp = CMP[op];
  return s;
}

/**
 * `x in [..]` / `x not in [..]` with a list of literals, none null and none an
 * ISO date: an element equals x only when it is x itself (=== on strings and
 * booleans; numbers: x - el === 0, which `includes` matches, -0 and 0 alike),
 * except that a string x may equal a number element as an ISO date: with
 * numbers in the list (`mixed`), a string x takes the generic path.
 */
function membership(op: 'in' | 'nin', left: Val, items: Val[], compile: (v: Val) => Read): Step | null {
  const values: Literal[] = [];
  for (const v of items) {
    if (!('lit' in v) || v.lit === null || (typeof v.lit === 'string' && parseIso(v.lit) !== null)) return null;
    values.push(v.lit);
  }
  const s = leaf(op === 'in' ? Op.IN : Op.NIN, left, compile);
  s.values = values;
  s.mixed = values.some((v) => typeof v === 'number');
  return s;
}

/** The fast path as a closure (for the tests that hold it to the generic comparison); null when there is none. */
export function literalComparison(op: CmpOp, left: Val, right: Val, compile: (v: Val) => Read): CondFn | null {
  const s = literalStep(op, left, right, compile);
  return s === null ? null : (ctx) => testLeaf(s, ctx);
}

