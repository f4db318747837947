import type { CompiledPlan } from '../compiler/plan';
import type { JourneyState } from './state';

/**
 * Whether an input to an idle journey (no path: never entered, or every
 * path ended) is an entry attempt: an event of an entry type, or a
 * scheduled entry's tick. Its audience and entry conditions are then checked
 * against the profile as stored now, not one read a minute ago: "update the
 * profile, then send the event" must see the update.
 */
export function isEntryAttemptOnIdle(plan: CompiledPlan, state: JourneyState, input: { kind: string; event?: { type: string } }): boolean {
  if (state.status !== 'idle') return false;
  if (input.kind === 'event') return input.event !== undefined && plan.entryTypes.includes(input.event.type);
  return input.kind === 'scheduledEntry';
}
