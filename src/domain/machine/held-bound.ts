/**
 * Which events a path goes on holding while its state's actions run, past the
 * bounds of LIMITS.deferredEvents (a count) and LIMITS.deferredBytes (their
 * JSON, patch deferred-events-budget).
 *
 * Since held-events-in-order a path holds, beside the events an `on` waits
 * for, those that only count in its aggregates, so that each is judged in its
 * turn. They shared the count bound, the oldest dropped first: a checkout
 * followed by 20 page views during the actions lost the checkout, and the
 * path never moved on it (review-63-machine finding 3). Past the count bound,
 * the oldest events that no `on` of any state waits for now go first (patch
 * held-bound-keeps-awaited): such an event's share stays in the window, so
 * the aggregates read it as having come before the actions, as any dropped
 * held event's share always has. Those an `on` waits for go only when more
 * than the bound of them are held, the oldest first. The byte bound then
 * drops the oldest of what is left, whichever they are, as before.
 */
import type { EventFacts } from '../conditions';
import { jsonBytes } from '../json-size';
import type { Run } from './run';
import { LIMITS } from './state';

export interface HeldBound {
  /** The events still held, in the order they came. */
  kept: EventFacts[];
  /** How many the count bound dropped, and then the byte bound. */
  byCount: number;
  byBytes: number;
  /** Indexes in the list bounded of the events dropped, for the places of due timers (keepTimerPlaces). */
  dropped: number[];
}

/**
 * Bounds `all` (the events held, the newest last). The new rule is asked for
 * (StepOptions.awaitedHeldKept) only where it keeps other events than the old
 * one, so journeys that never hold more than the bound record nothing.
 */
export function boundHeld(run: Run, all: EventFacts[], awaited: (event: EventFacts) => boolean): HeldBound {
  const newest = withinBytes(run, all, newestByCount(all.length));
  if (newest.byCount === 0) return newest;
  const awaitedFirst = withinBytes(run, all, awaitedByCount(all, awaited));
  if (sameIndexes(newest, awaitedFirst) || !(run.awaitedHeldKept === undefined || run.awaitedHeldKept())) return newest;
  return awaitedFirst;
}

/** Before held-bound-keeps-awaited: the newest LIMITS.deferredEvents, whatever they are. */
function newestByCount(length: number): number[] {
  return [...Array(length).keys()].slice(-LIMITS.deferredEvents);
}

/** The oldest events no `on` waits for go first, then (only when more than the bound are awaited) the oldest awaited ones. */
function awaitedByCount(all: EventFacts[], awaited: (event: EventFacts) => boolean): number[] {
  let excess = all.length - LIMITS.deferredEvents;
  const drop = new Set<number>();
  for (const [i, event] of all.entries()) {
    if (drop.size === excess) break;
    if (!awaited(event)) drop.add(i);
  }
  excess -= drop.size;
  for (let i = 0; excess > 0 && i < all.length; i++) {
    if (!drop.has(i)) {
      drop.add(i);
      excess--;
    }
  }
  return [...all.keys()].filter((i) => !drop.has(i));
}

/** The newest of the events the count bound kept whose JSON weighs at most LIMITS.deferredBytes together (patch deferred-events-budget). */
function withinBytes(run: Run, all: EventFacts[], byCount: number[]): HeldBound {
  let from = byCount.length;
  if (run.deferredBudget) {
    let bytes = 0;
    while (from > 0) {
      bytes += jsonBytes(all[byCount[from - 1]]);
      if (bytes > LIMITS.deferredBytes) break;
      from--;
    }
  } else {
    from = 0;
  }
  const keptIndexes = byCount.slice(from);
  const kept = new Set(keptIndexes);
  return {
    kept: keptIndexes.map((i) => all[i]),
    byCount: all.length - byCount.length,
    byBytes: from,
    dropped: [...all.keys()].filter((i) => !kept.has(i)),
  };
}

function sameIndexes(a: HeldBound, b: HeldBound): boolean {
  return a.dropped.length === b.dropped.length && a.dropped.every((i, n) => b.dropped[n] === i);
}
