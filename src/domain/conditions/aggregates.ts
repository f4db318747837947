/**
 * Aggregates are kept by the journey machine as one contribution per event
 * (so a cancelled event can be taken out) and reduced on demand. These two
 * functions are the whole arithmetic of that bookkeeping.
 */
import type { AggregateSpec, EventFacts, FactContext } from './types';

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function readProperty(properties: Readonly<Record<string, unknown>>, path: string): unknown {
  let cur: unknown = properties;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * What `event` adds to the aggregate, or undefined when it adds nothing: another
 * type, a filter that fails, or (sum/min/max/avg) a value that is not a finite
 * number, (distinct) a value that is not a string, number or boolean.
 */
export function aggregateContribution(
  spec: AggregateSpec,
  event: EventFacts,
  base: Omit<FactContext, 'event' | 'aggregate'>,
): unknown | undefined {
  if (event.type !== spec.eventType) return undefined;
  if (spec.filter && !spec.filter.evaluate({ ...base, event, aggregate: () => null })) return undefined;
  if (spec.fn === 'count') return 1;
  if (spec.property === undefined) return undefined;
  const v = readProperty(event.properties ?? {}, spec.property);
  if (spec.fn === 'distinct') return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** count/sum/distinct of nothing are 0; min/max/avg of nothing are null. Undefined contributions are skipped. */
export function reduceAggregate(spec: AggregateSpec, contributions: readonly unknown[]): unknown {
  const present = contributions.filter((c) => c !== undefined);
  if (spec.fn === 'count') return present.length;
  if (spec.fn === 'distinct') {
    // Keyed with the type so 1 and '1' stay distinct.
    return new Set(present.map((c) => `${typeof c}:${String(c)}`)).size;
  }
  const nums = present.filter((c): c is number => typeof c === 'number' && Number.isFinite(c));
  if (spec.fn === 'sum') return nums.reduce((a, b) => a + b, 0);
  if (nums.length === 0) return null;
  if (spec.fn === 'min') return nums.reduce((a, b) => (b < a ? b : a));
  if (spec.fn === 'max') return nums.reduce((a, b) => (b > a ? b : a));
  return nums.reduce((a, b) => a + b, 0) / nums.length;
}
