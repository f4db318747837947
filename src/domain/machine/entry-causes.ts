/**
 * How an entry names its cause in the journey log (the entry row's `cause`),
 * and how a new execution of a journey learns which of the entries its start
 * came with an earlier execution took already (patch seen-events-outlive-run):
 * a start delivery sent again after the journey closed must not enter again.
 */
import { LIMITS } from './state';

/** An entry on an event: its log row's cause. */
export const eventEntryCause = (type: string, id: string): string => `${type} ${id}`;

/** An entry on a scheduled tick: its log row's cause. */
export const tickEntryCause = (tickId: string): string => `scheduled entry ${tickId}`;

/** How a tick's local time is remembered among the ids seen, beside `tick:<id>` for the tick itself. */
export const tickKeyId = (key: string): string => `tick@${key}`;

/** What an inbox holds, as far as entries go. */
type EntryLike = { kind: 'event'; event: { id: string; type: string } } | { kind: 'scheduledEntry'; tickId: string } | { kind: string };

export interface EntryCandidate {
  /** The id `step` remembers the input by among the ids seen. */
  seenId: string;
  /** The cause its entry's log row carries. */
  cause: string;
}

/** The events and ticks among `inputs` that could enter, once each, at most LIMITS.seenEventIds of them (the newest are remembered). */
export function entryCandidates(inputs: readonly EntryLike[]): EntryCandidate[] {
  const byCause = new Map<string, EntryCandidate>();
  for (const input of inputs) {
    if (input.kind === 'event' && 'event' in input) byCause.set(eventEntryCause(input.event.type, input.event.id), { seenId: input.event.id, cause: eventEntryCause(input.event.type, input.event.id) });
    else if (input.kind === 'scheduledEntry' && 'tickId' in input) byCause.set(tickEntryCause(input.tickId), { seenId: `tick:${input.tickId}`, cause: tickEntryCause(input.tickId) });
  }
  return [...byCause.values()].slice(-LIMITS.seenEventIds);
}

/** The seen ids of the candidates whose causes an earlier execution entered on, in the candidates' order. */
export function seenIdsTakenBefore(candidates: readonly EntryCandidate[], takenCauses: readonly string[]): string[] {
  const taken = new Set(takenCauses);
  return [...new Set(candidates.filter((c) => taken.has(c.cause)).map((c) => c.seenId))];
}
