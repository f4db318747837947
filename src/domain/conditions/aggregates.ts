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
 * Past this many characters a distinct() value is kept as a digest: only its
 * equality to others counts, and a journey carries up to 200 contributions
 * per aggregate in its state (each event's properties may weigh 256 KiB).
 */
export const DISTINCT_RAW_CHARS = 128;

/** A 53-bit string hash (cyrb53's construction): deterministic, no I/O, safe in workflow code. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * A distinct() value as it is kept: a long string becomes its first 32
 * characters, a hash and its length (well under DISTINCT_RAW_CHARS, so a
 * digest stays itself); anything else as it is.
 */
export function keptDistinct<T>(value: T): T | string {
  return typeof value === 'string' && value.length > DISTINCT_RAW_CHARS ? `${value.slice(0, 32)}…#${hash53(value).toString(36)}:${value.length}` : value;
}

/**
 * The key two distinct() values are told apart by: with the type, so 1 and
 * '1' stay distinct, and long strings by their digest, so a value kept raw
 * (before digests) and the same value kept as a digest count once.
 */
export const distinctKey = (value: unknown): string => `${typeof value}:${String(keptDistinct(value))}`;

const STRING_KEY = 'string:';

/** A key distinctKey made as it would make it now: one kept before digests (a folded summary's) may hold a long string raw. */
export const currentDistinctKey = (key: string): string =>
  key.startsWith(STRING_KEY) && key.length - STRING_KEY.length > DISTINCT_RAW_CHARS ? distinctKey(key.slice(STRING_KEY.length)) : key;

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
  if (spec.fn === 'distinct') return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? keptDistinct(v) : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** count/sum/distinct of nothing are 0; min/max/avg of nothing are null. Undefined contributions are skipped. */
export function reduceAggregate(spec: AggregateSpec, contributions: readonly unknown[]): unknown {
  const present = contributions.filter((c) => c !== undefined);
  if (spec.fn === 'count') return present.length;
  if (spec.fn === 'distinct') {
    return new Set(present.map(distinctKey)).size;
  }
  const nums = present.filter((c): c is number => typeof c === 'number' && Number.isFinite(c));
  if (spec.fn === 'sum') return nums.reduce((a, b) => a + b, 0);
  if (nums.length === 0) return null;
  if (spec.fn === 'min') return nums.reduce((a, b) => (b < a ? b : a));
  if (spec.fn === 'max') return nums.reduce((a, b) => (b > a ? b : a));
  return nums.reduce((a, b) => a + b, 0) / nums.length;
}
