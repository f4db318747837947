/**
 * Aggregates since state entry, kept as per-event contributions so that a
 * cancelled event can be taken out again (CAMPAIGNS.md, "Cancelling an event").
 */
import { aggregateContribution, reduceAggregate, type AggregateSpec, type EventFacts, type FactContext } from '../conditions';
import type { CompiledPlan } from '../compiler';
import { LIMITS, type Contribution, type PathState } from './state';

type Window = Record<string, Contribution[]>;

/** Adds what `event` contributes to each aggregate of the plan; returns whether it counted anywhere. */
export function addContributions(
  plan: CompiledPlan,
  window: Window,
  event: EventFacts,
  base: Omit<FactContext, 'event' | 'aggregate'>,
): boolean {
  let counted = false;
  for (const spec of Object.values(plan.aggregates)) {
    if (spec.eventType !== event.type) continue;
    const value = aggregateContribution(spec, event, base);
    if (value === undefined) continue;
    const list = (window[spec.key] ??= []);
    list.push({ eventId: event.id, value });
    if (list.length > LIMITS.contributions) list.splice(0, list.length - LIMITS.contributions);
    counted = true;
  }
  return counted;
}

/** Takes a cancelled event out of every aggregate; returns whether it was there. */
export function removeEvent(window: Window, eventId: string): boolean {
  let removed = false;
  for (const key of Object.keys(window)) {
    const kept = window[key].filter((c) => c.eventId !== eventId);
    if (kept.length !== window[key].length) {
      removed = true;
      window[key] = kept;
    }
  }
  return removed;
}

export function aggregateValue(spec: AggregateSpec | undefined, window: Window, key: string): unknown {
  if (!spec) return null;
  return reduceAggregate(spec, (window[key] ?? []).map((c) => c.value));
}

/** The values of every aggregate of the plan now: what the next state's actions and branches will read. */
export function snapshotOf(plan: CompiledPlan, window: Window): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(plan.aggregates)) out[key] = aggregateValue(spec, window, key);
  return out;
}

/** The events that count in the given aggregates: they helped whatever these aggregates decided. */
export function contributors(path: PathState, specs: readonly AggregateSpec[]): string[] {
  const ids: string[] = [];
  for (const spec of specs) for (const c of path.window[spec.key] ?? []) ids.push(c.eventId);
  return ids;
}
