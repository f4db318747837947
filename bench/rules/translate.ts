/**
 * The rule set in the peers' notations, derived mechanically from the Kairos
 * JSON tree so the three cannot drift apart. Each translation says what Kairos
 * means (CAMPAIGNS.md: a missing or null fact makes every comparison false,
 * `!=` and `not in` included), adding a null test only where the peer's own
 * operator would otherwise answer true for null:
 *
 * - json-rules-engine: `notEqual` and `notIn` hold for null, so they get a
 *   `notEqual null` beside them; its number operators refuse null already.
 * - json-logic-engine: `!==` and `!in` hold for null, and `<`, `<=`, `>=`, `>`
 *   compare null as 0 (`null < 5` is true), so those get `!== null` unless
 *   0 would fail the comparison anyway (`price >= 200` needs no guard).
 *
 * Facts: `event.x` is `properties.x` of the event, `user.x` the user's attribute.
 */
import type { NestedCondition, TopLevelCondition } from 'json-rules-engine';
import type { BenchRule, RuleCondition, RuleLeaf, RuleOp } from './rule-set';

interface FactLocation {
  /** The top-level key of the fact set: `event` or `user`. */
  root: 'event' | 'user';
  /** Dotted path inside it. */
  path: string;
}

export function locate(fact: string): FactLocation {
  const [root, ...rest] = fact.split('.');
  if (root === 'event') return { root, path: ['properties', ...rest].join('.') };
  if (root === 'user') return { root, path: rest.join('.') };
  throw new Error(`bench rule fact must start with event. or user.: ${fact}`);
}

const isLeaf = (c: RuleCondition): c is RuleLeaf => 'fact' in c;

// ---- json-rules-engine ----

const JRE_OPERATOR: Record<RuleOp, string> = {
  eq: 'equal', ne: 'notEqual', gt: 'greaterThan', gte: 'greaterThanInclusive', lt: 'lessThan', lte: 'lessThanInclusive',
  in: 'in', nin: 'notIn', contains: 'contains',
};

function rulesEngineCondition(c: RuleCondition): NestedCondition {
  if ('all' in c) return { all: c.all.map(rulesEngineCondition) };
  if ('any' in c) return { any: c.any.map(rulesEngineCondition) };
  if ('not' in c) return { not: rulesEngineCondition(c.not) };
  const { root, path } = locate(c.fact);
  const leaf = { fact: root, path, operator: JRE_OPERATOR[c.op], value: c.value };
  if (c.op === 'ne' || c.op === 'nin') return { all: [{ fact: root, path, operator: 'notEqual', value: null }, leaf] };
  return leaf;
}

/** Top-level conditions of a json-rules-engine rule must be all/any/not. */
export function toRulesEngine(rule: BenchRule): TopLevelCondition {
  const c = rulesEngineCondition(rule.when);
  return 'fact' in c ? { all: [c] } : (c as TopLevelCondition);
}

/**
 * json-rules-engine's `pathResolver` option (its docs' "custom path resolver"):
 * a dotted path read like Kairos reads it, missing is null (so one
 * `notEqual null` guard covers missing and null), a plain property walk
 * instead of the default JSONPath query.
 */
export function dottedPath(value: object, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? null : cur;
}

// ---- json-logic-engine ----

type JsonLogic = Record<string, unknown>;

const JS_ORDER: Partial<Record<RuleOp, { symbol: string; nullHolds: (v: number) => boolean }>> = {
  gt: { symbol: '>', nullHolds: (v) => 0 > v },
  gte: { symbol: '>=', nullHolds: (v) => 0 >= v },
  lt: { symbol: '<', nullHolds: (v) => 0 < v },
  lte: { symbol: '<=', nullHolds: (v) => 0 <= v },
};

function jsonLogicLeaf(c: RuleLeaf): JsonLogic {
  const { root, path } = locate(c.fact);
  const fact = { var: `${root}.${path}` };
  const notNull = { '!==': [fact, null] };
  switch (c.op) {
    case 'eq':
      return { '===': [fact, c.value] };
    case 'ne':
      return { and: [notNull, { '!==': [fact, c.value] }] };
    case 'in':
      return { in: [fact, c.value] };
    case 'nin':
      return { and: [notNull, { '!': [{ in: [fact, c.value] }] }] };
    case 'contains':
      return { in: [c.value, fact] };
    default: {
      const order = JS_ORDER[c.op];
      if (order === undefined) throw new Error(`no json-logic translation for ${c.op}`);
      const cmp = { [order.symbol]: [fact, c.value] };
      // A string (an ISO timestamp here) never orders against null in JS; a number may.
      const guard = typeof c.value === 'number' && order.nullHolds(c.value);
      return guard ? { and: [notNull, cmp] } : cmp;
    }
  }
}

export function toJsonLogic(c: RuleCondition): JsonLogic {
  if ('all' in c) return { and: c.all.map(toJsonLogic) };
  if ('any' in c) return { or: c.any.map(toJsonLogic) };
  if ('not' in c) return { '!': [toJsonLogic(c.not)] };
  if (isLeaf(c)) return jsonLogicLeaf(c);
  throw new Error('unknown rule condition');
}
