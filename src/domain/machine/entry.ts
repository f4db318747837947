/**
 * Whether a user may enter now, and starting the path when they may. Checks
 * run in an order that gives the most useful "why not": schedule, the entry
 * condition, the audience, then the participation caps.
 */
import type { CompiledSchedule } from '../compiler/plan';
import type { CompiledCondition, EventFacts, FactContext } from '../conditions';
import { addDuration, subtractDuration, type Duration } from '../durations';
import { addDurationInZone, subtractDurationInZone } from '../zoned-durations';
import { jsonBytes } from '../json-size';
import { toEpochMs, toIso } from '../time';
import { addContributions, snapshotOf } from './aggregates';
import { baseFacts, entryFacts } from './facts';
import { note, type Run } from './run';
import { campaignEndsAt } from './schedule-end';
import { LIMITS, pushBounded, type Contribution, type PathState } from './state';
import { short } from './trace';
import { enterState, onEvent } from './transitions';

export type EntryVerdict = { ok: true } | { ok: false; reason: string };

const refuse = (reason: string): EntryVerdict => ({ ok: false, reason });

/**
 * When an entry is judged instead of now (epoch ms): an event by when Kairos
 * accepted it (the schedule window; with entryTimesByReceipt, also the
 * audience's and entry.if's `now`, cooldown and frequency), a scheduled entry
 * by its tick (the window, the audience, cooldown and frequency, as the batch
 * judged it when it chose the user).
 */
export type EntryJudgedAt = { receivedAt: number } | { tickAt: number };

/** Why `at` (epoch ms) falls outside the campaign's schedule window, or null inside it: the journey's and the batch's one test. */
export function outsideScheduleWindow(schedule: CompiledSchedule, at: number): string | null {
  if (schedule.startsAt !== null && at < schedule.startsAt) return `the campaign starts at ${toIso(schedule.startsAt)}`;
  if (schedule.endsAt !== null && at > schedule.endsAt) return `the campaign ended at ${toIso(schedule.endsAt)}`;
  return null;
}

export function decideEntry(run: Run, event: EventFacts | null, judgedAt?: EntryJudgedAt): EntryVerdict {
  const { plan, state, now } = run;
  const tickAt = judgedAt !== undefined && 'tickAt' in judgedAt ? judgedAt.tickAt : undefined;
  const receivedAt = judgedAt !== undefined && 'receivedAt' in judgedAt ? judgedAt.receivedAt : undefined;
  // The end the campaign's active version has, when an activation told the journey (schedule-end-follows-activation).
  const outside = outsideScheduleWindow({ ...plan.schedule, endsAt: campaignEndsAt(plan, state) }, tickAt ?? receivedAt ?? now);
  if (outside !== null) {
    const when = tickAt !== undefined ? ` (the tick was due at ${toIso(tickAt)})` : receivedAt !== undefined ? ` (the event was received at ${toIso(receivedAt)})` : '';
    return refuse(`${outside}${when}`);
  }

  // An event's entry is judged at its receipt throughout (entryTimesByReceipt; before it, only the window was).
  const receiptJudged = run.entryTimesByReceipt ? receivedAt : undefined;
  const factsAt = tickAt ?? receiptJudged;
  const facts = factsAt !== undefined ? { ...entryFacts(run, event), now: factsAt } : entryFacts(run, event);
  if (event && plan.entry.condition) {
    const why = whyFalse(plan.entry.condition, facts);
    if (why !== null) return refuse(`entry.if does not hold: ${why}`);
  }
  if (plan.audience) {
    const why = whyFalse(plan.audience, facts);
    if (why !== null) return refuse(`not in the audience: ${why}`);
  }

  const p = plan.participation;
  if (state.entries >= p.maxEntries) {
    return refuse(`already entered ${state.entries} time(s); maxEntries is ${p.maxEntries}`);
  }
  // A tick is judged at its time throughout: its entry time is recorded so too (createPath), and next week's tick is measured from it.
  // So is an event at its receipt (entryTimesByReceipt), whose entry is then recorded at that time.
  const judged = factsAt ?? now;
  // Recorded at receipt, an entry delivered late may be older than one before it: the cooldown runs from the latest.
  const last = run.entryTimesByReceipt ? latestTime(state.entryTimes) : state.entryTimes[state.entryTimes.length - 1];
  // Ticks come at a local time, so their days are the zone's calendar days: a week after Sunday 09:00 is next Sunday 09:00, 167 hours across the spring change.
  const zone = tickAt !== undefined && run.tickCalendarDays ? plan.entry.timezone : undefined;
  const add = zone === undefined ? addDuration : (t: number, d: Duration) => addDurationInZone(t, d, zone);
  const subtract = zone === undefined ? subtractDuration : (t: number, d: Duration) => subtractDurationInZone(t, d, zone);
  if (p.cooldown && last !== undefined) {
    const next = add(toEpochMs(last), p.cooldown);
    if (judged < next) return refuse(`cooldown ${p.cooldown.text} since the last entry at ${last}: next entry possible at ${toIso(next)}`);
  }
  if (p.frequency) {
    const since = subtract(judged, p.frequency.per);
    const recent = state.entryTimes.filter((t) => toEpochMs(t) > since).length;
    if (recent >= p.frequency.max) {
      return refuse(`frequency: ${recent} entries within ${p.frequency.per.text}; at most ${p.frequency.max}`);
    }
  }
  if (p.maxActive !== null && state.paths.length >= p.maxActive) {
    return p.mode === 'serial'
      ? refuse(`serial mode: path ${state.paths[0].pathId} is still active (in ${state.paths[0].state})`)
      : refuse(`parallel mode: ${state.paths.length} paths active; maxActive is ${p.maxActive}`);
  }
  if (run.boundedState && p.mode === 'parallel') {
    if (state.paths.length >= LIMITS.activePaths) return refuse(`parallel mode: ${state.paths.length} paths active; a journey runs at most ${LIMITS.activePaths}`);
    const bytes = state.paths.length > 0 ? jsonBytes(state) : 0;
    if (bytes > LIMITS.entryStateBytes) {
      return refuse(`parallel mode: the journey's state weighs ${Math.ceil(bytes / 1024)} KiB with ${state.paths.length} paths active; no new path over ${LIMITS.entryStateBytes / 1024} KiB`);
    }
  }
  return { ok: true };
}

/** The latest of ISO times, or undefined for none. */
function latestTime(times: readonly string[]): string | undefined {
  let latest: string | undefined;
  for (const t of times) if (latest === undefined || toEpochMs(t) > toEpochMs(latest)) latest = t;
  return latest;
}

/** Null when the condition holds, else the failing parts with the values they saw. */
function whyFalse(condition: CompiledCondition, facts: FactContext): string | null {
  if (condition.evaluate(facts)) return null;
  const failed = condition
    .explain(facts)
    .leaves.filter((l) => !l.result)
    .slice(0, 3)
    .map((l) => `${l.text} (${short(l.values)})`);
  return failed.length > 0 ? failed.join('; ') : condition.text;
}

/**
 * Starts a new path in the initial state. The starting event is the first
 * event of that state: it counts in its aggregates and its `on` transitions.
 */
/** `entryAt`: the time the entry was judged at (a scheduled entry's tick, an event's receipt), recorded for cooldown and frequency; else now. */
export function createPath(run: Run, event: EventFacts | null, cause: string, entryAt?: number): PathState {
  const { state, plan } = run;
  state.entries += 1;
  const entryIso = entryAt === undefined ? run.nowIso : toIso(entryAt);
  pushBounded(state.entryTimes, entryIso, LIMITS.entryTimes);
  const path: PathState = {
    pathId: `p${state.entries}`,
    entryNo: state.entries,
    state: plan.initial,
    enteredAt: run.nowIso,
    stateEnteredAt: run.nowIso,
    visits: {},
    trigger: event,
    causedBy: [],
    snapshot: {},
    window: {},
    steps: {},
    actionsDone: false,
    timers: [],
  };
  const window: Record<string, Contribution[]> = {};
  if (event) addContributions(plan, window, event, baseFacts(run, path), run.exactHeldAndFolded);
  state.paths.push(path);
  note(run, { kind: 'entered', pathId: path.pathId, message: `entry ${path.entryNo}: ${cause}` });
  enterState(
    run,
    path,
    plan.initial,
    { event, causedBy: event ? [event.id] : [], snapshot: snapshotOf(plan, window, run.exactHeldAndFolded), cause, window, ...(run.entryRowAtTick && entryIso !== run.nowIso ? { entryAt: entryIso } : {}) },
    null,
  );
  if (event && stillInInitial(run, path) && plan.states[plan.initial].onByType[event.type]) onEvent(run, path, event);
  return path;
}

/**
 * Whether the starting event is still the initial state's to take. While the
 * state's actions run, onEvent holds it until they finish, as any event
 * (routedEntriesHeldEvents; before it, a state with actions never saw it).
 * A visit after the path left and came back is no longer the one it started.
 */
function stillInInitial(run: Run, path: PathState): boolean {
  const { state, plan } = run;
  if (!state.paths.includes(path) || path.state !== plan.initial) return false;
  return run.routedEntriesHeldEvents ? path.visits[plan.initial] === 1 : path.actionsDone;
}
