/**
 * Aggregates since state entry, kept as per-event contributions so that a
 * cancelled event can be taken out again (CAMPAIGNS.md, "Cancelling an event").
 */
import { aggregateContribution, currentDistinctKey, distinctKey, reduceAggregate, type AggregateSpec, type EventFacts, type FactContext } from '../conditions';
import type { CompiledPlan } from '../compiler';
import { LIMITS, type Contribution, type PathState } from './state';

type Window = Record<string, Contribution[]>;

/**
 * Past the per-aggregate bound, the oldest contributions are folded into one
 * summary entry instead of being dropped, so `count(...) >= 5000` still
 * counts every event. Folded events can no longer be taken out by a cancel.
 */
export const FOLDED_EVENT_ID = '(earlier events)';
const MAX_FOLDED_DISTINCT = 1000;

interface Folded {
  folded: true;
  count: number;
  sum: number;
  numbers: number;
  min: number | null;
  max: number | null;
  distinct: string[];
}


/**
 * Whether `c` is the summary of folded events. An event may be sent with the
 * summary's id, so the summary is told by its value too (`byShape`): every
 * event's contribution is a number, string or boolean, the summary an object.
 * Off only for journeys from before patch exact-held-and-folded, which told it
 * by its id alone.
 */
function isFolded(c: Contribution | undefined, byShape: boolean): c is Contribution & { value: Folded } {
  return c?.eventId === FOLDED_EVENT_ID && (!byShape || (typeof c.value === 'object' && c.value !== null));
}

function fold(into: Folded | undefined, values: unknown[]): Folded {
  const f: Folded = into ? { ...into, distinct: [...into.distinct] } : { folded: true, count: 0, sum: 0, numbers: 0, min: null, max: null, distinct: [] };
  f.distinct = f.distinct.map(currentDistinctKey);
  const seen = new Set(f.distinct);
  for (const v of values) {
    if (v === undefined) continue;
    f.count++;
    if (typeof v === 'number' && Number.isFinite(v)) {
      f.sum += v;
      f.numbers++;
      f.min = f.min === null || v < f.min ? v : f.min;
      f.max = f.max === null || v > f.max ? v : f.max;
    }
    const key = distinctKey(v);
    if (!seen.has(key) && seen.size < MAX_FOLDED_DISTINCT) {
      seen.add(key);
      f.distinct.push(key);
    }
  }
  return f;
}

function trim(list: Contribution[], byShape: boolean): void {
  if (list.length <= LIMITS.contributions) return;
  const head = isFolded(list[0], byShape) ? (list.shift()!.value as Folded) : undefined;
  const excess = list.length - (LIMITS.contributions - 1);
  const dropped = list.splice(0, excess);
  list.unshift({ eventId: FOLDED_EVENT_ID, value: fold(head, dropped.map((c) => c.value)) });
}

/**
 * Folds every contribution of a list into its summary (patch
 * journey-weighed-whole), what a journey too heavy to carry into its next
 * run may give up. Counts, sums, minimums, maximums and distinct values stay
 * as they were; the folded events can no longer be taken out by a cancel.
 * A list whose summary would then keep fewer distinct values than it reads
 * now (past the summary's 1,000) is left as it is. Returns how many
 * contributions were folded.
 */
export function foldAll(list: Contribution[]): number {
  const head = isFolded(list[0], true) ? (list[0].value as Folded) : undefined;
  const rest = head ? list.slice(1) : list;
  if (rest.length === 0) return 0;
  const distinct = new Set([...(head?.distinct ?? []).map(currentDistinctKey), ...rest.filter((c) => c.value !== undefined).map((c) => distinctKey(c.value))]);
  if (distinct.size > MAX_FOLDED_DISTINCT) return 0;
  const folded = rest.length;
  list.splice(0, list.length, { eventId: FOLDED_EVENT_ID, value: fold(head, rest.map((c) => c.value)) });
  return folded;
}

function combine(spec: AggregateSpec, folded: Folded, rest: unknown[]): unknown {
  const present = rest.filter((v) => v !== undefined);
  const nums = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const sum = folded.sum + nums.reduce((a, b) => a + b, 0);
  const numbers = folded.numbers + nums.length;
  switch (spec.fn) {
    case 'count':
      return folded.count + present.length;
    case 'sum':
      return sum;
    case 'avg':
      return numbers === 0 ? null : sum / numbers;
    case 'min':
      return [folded.min, ...nums].reduce<number | null>((a, b) => (b === null ? a : a === null || b < a ? b : a), null);
    case 'max':
      return [folded.max, ...nums].reduce<number | null>((a, b) => (b === null ? a : a === null || b > a ? b : a), null);
    case 'distinct':
      return new Set([...folded.distinct.map(currentDistinctKey), ...present.map(distinctKey)]).size;
  }
}

/** Adds what `event` contributes to each aggregate of the plan; returns whether it counted anywhere. */
export function addContributions(
  plan: CompiledPlan,
  window: Window,
  event: EventFacts,
  base: Omit<FactContext, 'event' | 'aggregate'>,
  byShape: boolean,
): boolean {
  let counted = false;
  for (const spec of Object.values(plan.aggregates)) {
    if (spec.eventType !== event.type) continue;
    const value = aggregateContribution(spec, event, base);
    if (value === undefined) continue;
    const list = (window[spec.key] ??= []);
    list.push({ eventId: event.id, value });
    trim(list, byShape);
    counted = true;
  }
  return counted;
}

/** Whether some aggregate of this window folded older events into a summary (past LIMITS.contributions). */
export function hasFolded(window: Window, byShape: boolean): boolean {
  return Object.values(window).some((list) => isFolded(list[0], byShape));
}

/** Takes a cancelled event out of every aggregate (never the summary of folded ones); returns whether it was there. */
export function removeEvent(window: Window, eventId: string, byShape: boolean): boolean {
  return takeShares(window, eventId, byShape) !== null;
}

/** What one event contributes, per aggregate key (one contribution at most in each). */
export type Shares = Record<string, Contribution[]>;

/**
 * As removeEvent, and returns the contributions taken out, per key (null when
 * the event was in none), so that they can be put back as they were
 * (putShares). A summary of folded events taken out with them (journeys from
 * before exact-held-and-folded, by an event sent with its id) is not returned.
 */
export function takeShares(window: Window, eventId: string, byShape: boolean): Shares | null {
  let shares: Shares | null = null;
  for (const key of Object.keys(window)) {
    const taken: Contribution[] = [];
    const kept = window[key].filter((c) => {
      const keep = c.eventId !== eventId || (byShape && isFolded(c, true));
      if (!keep) taken.push(c);
      return keep;
    });
    if (taken.length > 0) {
      shares ??= {};
      shares[key] = taken.filter((c) => !isFolded(c, true));
      window[key] = kept;
    }
  }
  return shares;
}

/** Puts back what takeShares took out, as the newest contributions of their aggregates. */
export function putShares(window: Window, shares: Shares, byShape: boolean): void {
  for (const [key, taken] of Object.entries(shares)) {
    if (taken.length === 0) continue;
    const list = (window[key] ??= []);
    list.push(...taken);
    trim(list, byShape);
  }
}

/** Whether two sets of shares hold the same values under the same keys. */
export function sameShares(a: Shares, b: Shares): boolean {
  const values = (s: Shares) =>
    JSON.stringify(
      Object.keys(s)
        .filter((k) => s[k].length > 0)
        .sort()
        .map((k) => [k, s[k].map((c) => c.value)]),
    );
  return values(a) === values(b);
}

export function aggregateValue(spec: AggregateSpec | undefined, window: Window, key: string, byShape: boolean): unknown {
  if (!spec) return null;
  const list = window[key] ?? [];
  if (isFolded(list[0], byShape)) return combine(spec, list[0].value, list.slice(1).map((c) => c.value));
  return reduceAggregate(spec, list.map((c) => c.value));
}

/** The values of every aggregate of the plan now: what the next state's actions and branches will read. */
export function snapshotOf(plan: CompiledPlan, window: Window, byShape: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(plan.aggregates)) out[key] = aggregateValue(spec, window, key, byShape);
  return out;
}

/** The events that count in the given aggregates: they helped whatever these aggregates decided. */
export function contributors(path: PathState, specs: readonly AggregateSpec[], byShape: boolean): string[] {
  const ids: string[] = [];
  for (const spec of specs) for (const c of path.window[spec.key] ?? []) if (!isFolded(c, byShape)) ids.push(c.eventId);
  return ids;
}

/**
 * The same events, newest first and each once: the newest of every aggregate,
 * then the next newest of each, and so on. Cut to a journey's budget of
 * causes, this keeps the newest of every aggregate the condition read.
 */
export function newestContributors(path: PathState, specs: readonly AggregateSpec[], byShape: boolean): string[] {
  return newestFirst(specs.map((spec) => contributors(path, [spec], byShape)));
}

/** Ids of several lists (each oldest first), newest first and each once: the newest of every list, then the next newest of each, and so on. */
export function newestFirst(lists: ReadonlyArray<readonly string[]>): string[] {
  const ids = new Set<string>();
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let back = 1; back <= longest; back++) for (const list of lists) if (list.length >= back) ids.add(list[list.length - back]);
  return [...ids];
}
