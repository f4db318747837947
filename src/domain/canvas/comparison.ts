/**
 * The comparison picker's model: a condition cell of the one shape a person
 * builds most, an aggregate of an event type compared with a number
 * (`sum('order.completed', 'amount') >= 20`, `count('post.created') >= 10`),
 * as fields to pick instead of text to type. It reads a cell's text into
 * those fields when the text has that shape (and only then: anything else
 * stays a text expression) and writes them back as the expression.
 *
 * The shape is read with the compiler's own parser, so any spelling the
 * compiler reads the same way (double quotes, `gte`, no spaces) opens in
 * the picker; the compiler still judges the result (an event type left
 * empty is its error, shown at the cell).
 */
import { parseExpression } from '../conditions/parser';
import { printLiteral } from '../conditions/print';
import type { CmpOp, Syn } from '../conditions/syntax';
import { AGGREGATE_FUNCTIONS, type AggregateFn } from '../conditions/types';

/** The comparators offered, as written in expressions. */
export const COMPARATORS = ['>=', '>', '<=', '<', '==', '!='] as const;
export type Comparator = (typeof COMPARATORS)[number];

const FROM_OP: Partial<Record<CmpOp, Comparator>> = { gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '==', ne: '!=' };

/** Words for the comparator picker. */
export const COMPARATOR_WORDS: Record<Comparator, string> = {
  '>=': 'at least (≥)',
  '>': 'more than (>)',
  '<=': 'at most (≤)',
  '<': 'less than (<)',
  '==': 'exactly (=)',
  '!=': 'not (≠)',
};

export interface AggregateComparison {
  fn: AggregateFn;
  eventType: string;
  /** The event property the function reads; absent for count. */
  property?: string;
  op: Comparator;
  value: number;
}

/** Every aggregate but count reads a property of the event (the compiler's rule: `sum('type', 'property')`). */
export const needsProperty = (fn: AggregateFn): boolean => fn !== 'count';

const isAggregate = (name: string): name is AggregateFn => (AGGREGATE_FUNCTIONS as readonly string[]).includes(name);

function numberOf(syn: Syn): number | null {
  if (syn.kind === 'num') return syn.value;
  if (syn.kind === 'neg' && syn.operand.kind === 'num') return -syn.operand.value;
  return null;
}

/** The fields of a cell whose text is one aggregate compared with a number; null for anything else. */
export function parseComparison(text: string): AggregateComparison | null {
  const parsed = parseExpression(text, '');
  if (!parsed.ok || parsed.syn.kind !== 'cmp') return null;
  const { op, left, right } = parsed.syn;
  const comparator = FROM_OP[op];
  const value = numberOf(right);
  if (!comparator || value === null || left.kind !== 'call' || !isAggregate(left.name)) return null;
  const [type, property, ...rest] = left.args;
  if (rest.length > 0 || type?.kind !== 'str') return null;
  if (!needsProperty(left.name)) return property === undefined ? { fn: left.name, eventType: type.value, op: comparator, value } : null;
  if (property?.kind !== 'str') return null;
  return { fn: left.name, eventType: type.value, property: property.value, op: comparator, value };
}

/** The expression for the fields, spelled as the compiler prints it. */
export function formatComparison(c: AggregateComparison): string {
  const args = [printLiteral(c.eventType), ...(needsProperty(c.fn) ? [printLiteral(c.property ?? '')] : [])];
  return `${c.fn}(${args.join(', ')}) ${c.op} ${Object.is(c.value, -0) ? 0 : c.value}`;
}

/** What the picker knows about event types: their names and properties (GET /v1/vocabulary's eventTypes). */
export type KnownTypes = ReadonlyArray<{ type: string; properties: readonly string[] }>;

const propertiesOf = (known: KnownTypes, type: string): readonly string[] => known.find((k) => k.type === type)?.properties ?? [];

/**
 * The property after `change`. The one in the cell stays unless the operator
 * picks another, or the event type changes to a known one without it, or the
 * function comes to need one: the vocabulary lists only properties seen in
 * recent events, so a rarer one (or one typed after "other…") is no reason
 * to rewrite what a reward is counted on when the number is edited.
 */
function propertyFor(c: AggregateComparison, change: Partial<AggregateComparison>, known: KnownTypes): string | undefined {
  const next = { ...c, ...change };
  if (!needsProperty(next.fn)) return undefined;
  if (change.property !== undefined) return change.property;
  const props = propertiesOf(known, next.eventType);
  const kept = c.property;
  const typeLacksIt = next.eventType !== c.eventType && props.length > 0 && kept !== undefined && !props.includes(kept);
  if (kept !== undefined && !typeLacksIt) return kept;
  return props[0] ?? '';
}

/** The fields after one of them changed: count drops the property, the others keep theirs unless the event type no longer has it. */
export function changeComparison(c: AggregateComparison, change: Partial<AggregateComparison>, known: KnownTypes = []): AggregateComparison {
  const next = { ...c, ...change };
  const property = propertyFor(c, change, known);
  const out: AggregateComparison = { fn: next.fn, eventType: next.eventType, op: next.op, value: next.value };
  if (property !== undefined) out.property = property;
  return out;
}

/** A first comparison for a cell that had none: "count of <the first known event type> ≥ 1". */
export function startComparison(known: KnownTypes, eventType = known[0]?.type ?? 'order.completed'): AggregateComparison {
  return { fn: 'count', eventType, op: '>=', value: 1 };
}
