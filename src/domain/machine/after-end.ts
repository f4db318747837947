import type { CompiledPlan } from '../compiler/plan';
import { tickKeyId } from './entry-causes';
import type { JourneyInput } from './inputs';
import { LIMITS, seenOrCancelled, type JourneyState } from './state';

/** An input as it waits in a journey's inbox, before `now` is stamped on it. */
type WaitingInput = JourneyInput extends infer I ? (I extends { now: unknown } ? Omit<I, 'now'> : never) : never;

/**
 * Whether `input`, reaching a journey that has ended, is one a new journey
 * would take as its entry: an event of an entry type, or a scheduled entry's
 * tick for a cron campaign. An ended journey whose run still finishes its
 * effects (a webhook retrying, a held step) receives what the API sends to
 * it by id, and `step` ignores it there; such an input must start the next
 * journey instead, as it would have a moment later, once the run completed.
 * An event the API delivered to running journeys only is no entry
 * (`signalOnlyStaysOut`, patch signal-only-begins-nothing; before it, it
 * began a next journey that refused it and stayed open, idle).
 */
export function entersAfterEnd(plan: CompiledPlan, state: JourneyState, input: WaitingInput, signalOnlyStaysOut?: () => boolean): boolean {
  // An archived campaign takes no entries: its journey ends for good, with no next one.
  if (state.status !== 'ended' || state.campaignArchived) return false;
  if (input.kind === 'event') {
    if (!plan.entryTypes.includes(input.event.type)) return false;
    // Delivered to running journeys only (the campaign paused, or its active version not entered on this type): it
    // enters nobody, so it begins no next journey, which would refuse it and wait idle. Absent: it begins none.
    return !(input.signalOnly === true && (signalOnlyStaysOut === undefined || signalOnlyStaysOut()));
  }
  if (input.kind === 'scheduledEntry') return plan.entry.cron !== null;
  return false;
}

/**
 * Whether an entry reaching the ended journey is one it already took (a
 * delivery sent twice) or one support cancelled: the next journey starts
 * with no memory of either, so it would enter on it again, and issue what
 * it issues, with nothing left to take it back.
 */
export function alreadyTakenOrCancelled(state: JourneyState, input: WaitingInput): boolean {
  if (input.kind === 'event') return seenOrCancelled(state, input.event.id);
  if (input.kind === 'scheduledEntry') return seenOrCancelled(state, `tick:${input.tickId}`);
  return false;
}

/** The entries kept for the next journey without the one whose event was cancelled after it was kept. */
export function withoutCancelledEntry<I extends WaitingInput>(kept: readonly I[], eventId: string): I[] {
  return kept.filter((input) => input.kind !== 'event' || input.event.id !== eventId);
}

/** How many such inputs a run keeps for the next journey, and what they may weigh together (they travel in its input). */
export const AFTER_END_LIMITS = { inputs: 100, bytes: 256 * 1024 } as const;

/** The ids `step` remembers an entry by among the ids seen: an event's id; a tick's `tick:<id>`, and its local time's. */
function seenIdsOf(input: WaitingInput): string[] {
  if (input.kind === 'event') return [input.event.id];
  if (input.kind === 'scheduledEntry') return [`tick:${input.tickId}`, ...(input.tickKey ? [tickKeyId(input.tickKey)] : [])];
  return [];
}

/**
 * What an ended journey passes on to the next one, which its run begins
 * (patch seen-events-outlive-run): the ids it took or saw cancelled, bounded
 * as its state bounds them, less those of the entries it kept for that one
 * (`kept`), which the next journey must still take. Without them a resend
 * of an event the ended journey took, reaching the next run as a signal
 * after its start, entered again and issued its rewards a second time.
 */
export function seenByEndedJourney(state: JourneyState, kept: readonly WaitingInput[]): { seenEventIds: string[]; cancelledEventIds: string[] } {
  const keptIds = new Set(kept.flatMap(seenIdsOf));
  return {
    seenEventIds: state.seenEventIds.filter((id) => !keptIds.has(id)).slice(-LIMITS.seenEventIds),
    cancelledEventIds: state.cancelledEventIds.filter((id) => !keptIds.has(id)).slice(-LIMITS.cancelledEventIds),
  };
}

/** The seen ids a journey begins with: those an ended one passed on, then those its start lookup found taken before; once each, the newest LIMITS.seenEventIds. */
export function seededSeenIds(passedOn: readonly string[], takenBefore: readonly string[]): string[] {
  return [...new Set([...passedOn, ...takenBefore])].slice(-LIMITS.seenEventIds);
}
