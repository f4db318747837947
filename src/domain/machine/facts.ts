/**
 * What conditions can read, assembled from the journey state. Two views:
 * transitions that wait (on, when, after, at) read the aggregates of the
 * current state visit; a state's actions and its immediate branches read the
 * values at the moment the transition into the state fired, with `event` =
 * the event that fired it (CAMPAIGNS.md, "Actions and rewards").
 */
import type { EventFacts, FactContext } from '../conditions';
import type { JourneyEvent } from '../event';
import { aggregateValue } from './aggregates';
import type { Run } from './run';
import type { PathState } from './state';

type Base = Omit<FactContext, 'event' | 'aggregate'>;

export function baseFacts(run: Run, path: PathState | null): Base {
  return {
    user: run.state.user,
    journey: {
      enteredAt: path?.enteredAt ?? null,
      stateEnteredAt: path?.stateEnteredAt ?? null,
      entries: run.state.entries,
    },
    now: run.now,
    timezone: run.plan.schedule.timezone,
    ...(run.decimals ? { decimals: run.decimals } : {}),
  };
}

/** Facts for a transition that waits: aggregates since the state was entered. */
export function waitingFacts(run: Run, path: PathState, event: EventFacts | null): FactContext {
  return {
    ...baseFacts(run, path),
    event,
    aggregate: (key) => aggregateValue(run.plan.aggregates[key], path.window, key, run.exactHeldAndFolded),
  };
}

/** Facts for a state's actions and immediate branches: as they were when the path came in. */
export function arrivalFacts(run: Run, path: PathState): FactContext {
  return {
    ...baseFacts(run, path),
    event: path.trigger,
    aggregate: (key) => (key in path.snapshot ? path.snapshot[key] : null),
  };
}

/** Facts at entry, before a path exists: the starting event and the profile. */
export function entryFacts(run: Run, event: EventFacts | null): FactContext {
  return { ...baseFacts(run, null), event, aggregate: () => null };
}

export function eventFacts(event: JourneyEvent): EventFacts {
  return { id: event.id, type: event.type, occurredAt: event.occurredAt, properties: event.properties };
}

/** `user.*` is the stored profile merged with the event's `user` property (CAMPAIGNS.md, "Facts"). */
export function mergedProfile(profile: Record<string, unknown>, event: JourneyEvent | null): Record<string, unknown> {
  const fromEvent = event?.properties.user;
  if (fromEvent && typeof fromEvent === 'object' && !Array.isArray(fromEvent)) {
    return { ...profile, ...(fromEvent as Record<string, unknown>) };
  }
  return { ...profile };
}
