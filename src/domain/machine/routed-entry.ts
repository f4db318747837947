/**
 * Activation points NEW entries at a version (CAMPAIGNS.md, "Versions"), but
 * one workflow per (campaign, user) outlives its paths: after a path ends, a
 * journey that may be entered again (maxEntries > 1, cooldown, frequency)
 * stays idle on the plan it started with, and the API's next start delivery
 * for that user reaches it, whatever version it was routed to. These decide
 * when an idle journey leaves its plan for the version an entry was routed to,
 * and what it takes along: the whole state (entries and entry times for the
 * caps, seen event ids against duplicates, rewards for cancellations, the
 * profile), only relabelled. A path never changes version: while any runs,
 * the journey stays pinned and the entry is decided on its plan.
 */
import { toIso } from '../time';
import type { JourneyInput } from './inputs';
import { LIMITS, pushBounded, type JourneyState } from './state';

/** An input as it waits in the inbox (before `now` is stamped). */
type Pending = JourneyInput extends infer I ? (I extends { now: unknown } ? Omit<I, 'now'> : never) : never;

/**
 * The version an idle journey must move to before it handles `input`, or null
 * to handle it on its own plan: `input` is an entry routed to another version,
 * the journey has no path (and has not ended), and it has not seen this entry
 * already (a redelivered one is dropped where it is, without a move).
 */
export function versionToFollow(state: JourneyState, planVersion: number, input: Pending): number | null {
  if (input.kind !== 'event' && input.kind !== 'scheduledEntry') return null;
  const routed = input.campaignVersion;
  if (routed === undefined || !Number.isSafeInteger(routed) || routed < 1 || routed === planVersion) return null;
  if (state.status === 'ended' || state.paths.length > 0) return null;
  const id = input.kind === 'event' ? input.event.id : `tick:${input.tickId}`;
  if (state.seenEventIds.includes(id) || state.cancelledEventIds.includes(id)) return null;
  return routed;
}

/**
 * The state an idle journey carries to `version`: the same participation,
 * relabelled, with a trace entry saying why the plan changed. A new object;
 * `state` is left as it was.
 */
export function movedToVersion(state: JourneyState, version: number, now: number, cause: string): JourneyState {
  const trace = [...state.trace];
  pushBounded(
    trace,
    { at: toIso(now), input: cause, notes: [{ kind: 'version', message: `idle on v${state.planVersion}: continues on v${version}, the version this entry was routed to` }] },
    LIMITS.traceEntries,
  );
  return { ...state, planVersion: version, trace };
}

/** How a routed entry reads in the trace ("event visit re-2", "scheduled entry t-1"), as `step` describes it. */
export function describeEntry(input: Pending): string {
  if (input.kind === 'event') return `event ${input.event.type} ${input.event.id}`;
  if (input.kind === 'scheduledEntry') return `scheduled entry ${input.tickId}`;
  return input.kind;
}
