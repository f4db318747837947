/**
 * Moving a path between states. A state runs its actions on entry; once they
 * are done, its transitions are checked in order and the first that fires
 * wins. Immediate branches, splits and `when` are checked on arrival; `on` and
 * `when` after each event; `after`/`at` when their timer fires.
 */
import type { EventFacts } from '../conditions';
import type { CompiledState, CompiledTransition } from '../compiler';
import { advanceActions } from './actions';
import { addContributions, contributors, newestContributors, removeEvent, snapshotOf, takeShares, type Shares } from './aggregates';
import { arrivalFacts, baseFacts, waitingFacts } from './facts';
import { chooseWeighted, seededDraw } from './random';
import { cloneJson, emit, note, noteAlways, type Run } from './run';
import { endStateReason, EXITED_STATE } from './end-reason';
import { jsonBytes } from '../json-size';
import { LIMITS, pushBounded, type Contribution, type PathEnding, type PathState } from './state';
import { cancelPathTimers, dueTransitions, startStateTimers } from './state-timers';
import { boundHeld } from './held-bound';
import { giveBackShares } from './held-shares';
import { branchHelped, snapshotCausesFor } from './snapshot-causes';
import { boundCandidates, candidateTrace, clip, MAX_MESSAGE_CHARS, type CandidateTrace } from './trace';

/** How a path comes into a state: what its actions and branches will see. */
export interface Arrival {
  event: EventFacts | null;
  causedBy: string[];
  snapshot: Record<string, unknown>;
  /** The events behind `snapshot` that the state's branches may name as causes (PathState.snapshotCauses). */
  snapshotCauses?: Record<string, string[]>;
  /** For the journey log, e.g. "collecting → nudged after P3D". */
  cause: string;
  /** The aggregates the visit starts with: the starting event, for the initial state. */
  window?: Record<string, Contribution[]>;
  /** An entry judged at another time than now (a scheduled entry's tick), for the log row (see RecordTransition). */
  entryAt?: string;
}

type Verdict =
  | { fires: true; to: string; arrival: Omit<Arrival, 'cause'> }
  | { fires: false; trace: CandidateTrace };

export function enterState(run: Run, path: PathState, to: string, arrival: Arrival, from: string | null): void {
  if (!Object.hasOwn(run.plan.states, to)) {
    endAtNoState(run, path, to, arrival.cause, from);
    return;
  }
  path.state = to;
  path.visits[to] = (path.visits[to] ?? 0) + 1;
  path.stateEnteredAt = run.nowIso;
  path.trigger = arrival.event;
  const causes = [...new Set(arrival.causedBy)];
  path.causedBy = run.boundedState ? causes.slice(0, LIMITS.causedBy) : causes;
  path.snapshot = arrival.snapshot;
  if (arrival.snapshotCauses) path.snapshotCauses = arrival.snapshotCauses;
  else delete path.snapshotCauses;
  path.window = arrival.window ?? {};
  path.steps = {};
  path.actionsDone = false;
  path.timers = [];
  delete path.deferred;
  emit(run, { kind: 'recordTransition', pathId: path.pathId, from, to, at: run.nowIso, cause: arrival.cause, ...(arrival.entryAt === undefined ? {} : { entryAt: arrival.entryAt }) });
  note(run, { kind: 'transition', pathId: path.pathId, message: `${from ?? '(entry)'} → ${to}: ${arrival.cause}` });
  const state = run.plan.states[to];
  if (!state.end) startStateTimers(run, path, state);
  if (advanceActions(run, path) === 'done') settle(run, path);
}

/**
 * A transition into a name that is no state of the plan: a version admitted
 * before targets had to be own states may lead to one every object carries
 * (`toString`, `constructor`). Entering it threw, which failed the workflow
 * task on every retry and wedged the journey; the path ends here instead,
 * as an exit does. No recorded history changes: that task never completed.
 */
function endAtNoState(run: Run, path: PathState, to: string, cause: string, from: string | null): void {
  const reason = clip(`"${to}" is not a state of version ${run.plan.version} (${cause}): the path ends here`, MAX_MESSAGE_CHARS);
  noteAlways(run, { kind: 'ignored', pathId: path.pathId, message: `${from ?? '(entry)'}: ${reason}` });
  emit(run, { kind: 'recordTransition', pathId: path.pathId, from, to: EXITED_STATE, at: run.nowIso, cause: reason });
  endPath(run, path, reason, 'exit');
}

/** The state's actions are done: end, or check what may fire on arrival. */
export function settle(run: Run, path: PathState): void {
  const state = run.plan.states[path.state];
  if (state.end) {
    endPath(run, path, endStateReason(path.state), 'end-state');
    return;
  }
  const due = dueTransitions(path);
  const candidates = state.transitions.filter(
    (t) => t.kind === 'immediate' || t.kind === 'split' || t.kind === 'when' || due.has(t.index),
  );
  if (!run.routedEntriesHeldEvents) {
    // Before routedEntriesHeldEvents: a move here entered the next state, which cleared the held events unseen.
    tryTransitions(run, path, state, candidates, null, true);
    takeDeferred(run, path);
    return;
  }
  // Taken out first, since entering the next state clears them.
  const held = path.deferred ?? [];
  delete path.deferred;
  if (held.length === 0) {
    tryTransitions(run, path, state, candidates, null, true);
    return;
  }
  // As if the actions had finished at once: what fires on arrival (a branch, a `when`) fires before the held events
  // came, so it is judged without their shares, and they arrive in the state it moved to. The starting event, held in
  // the initial state (createPath), counted there on arrival and is that state's only: it does not follow a move.
  const trigger = path.trigger?.id;
  const later = held.filter((e) => e.id !== trigger);
  // One event judged alone reads the same either way: the patch is asked only where the order can tell.
  if (later.length > 1 && heldInOrder(run)) {
    settleInArrivalOrder(run, path, state, candidates, held, later);
    return;
  }
  const early = withoutShares(run, path, later, () => firstFiring(run, path, candidates.filter((t) => t.kind !== 'after' && t.kind !== 'at')));
  if (early) {
    take(run, path, early.transition, early.verdict);
    arriveLate(run, path, later);
    return;
  }
  // Otherwise the held events and the timers that fell due meanwhile, in the order they came (an event that makes a
  // `when` fire is used up by that move); once one moves the path, the held events left arrive where it is then.
  const where = placeOf(path);
  takeInOrder(run, path, held);
  if (placeOf(path) === where && run.state.paths.includes(path)) tryTransitions(run, path, state, candidates, null, true);
}

/** Whether the journey judges what its paths held in the order it came (StepOptions.heldInOrder; absent: it does). */
function heldInOrder(run: Run): boolean {
  return run.heldInOrder === undefined || run.heldInOrder();
}

/**
 * As if the actions had finished at once, for every event held (held-events-in-order): the later events' shares
 * come out of the aggregates, so what fires on arrival is judged before any of them came; then each goes back in
 * as it is taken, so it is judged on what came before it and itself, never on what came after. Once one moves the
 * path, the rest arrive in the state it moved to (their shares counted there), as they would have come after the
 * move.
 */
function settleInArrivalOrder(run: Run, path: PathState, state: CompiledState, candidates: readonly CompiledTransition[], held: EventFacts[], later: EventFacts[]): void {
  // An event counted nowhere here (or folded into a summary) has no share to take out, nor one to give back.
  const taken = new Map<string, Shares>();
  for (const e of later) {
    const shares = takeShares(path.window, e.id, run.exactHeldAndFolded);
    if (shares) taken.set(e.id, shares);
  }
  const early = firstFiring(run, path, candidates.filter((t) => t.kind !== 'after' && t.kind !== 'at'));
  if (early) {
    take(run, path, early.transition, early.verdict);
    arriveLate(run, path, later);
    return;
  }
  const where = placeOf(path);
  takeInOrder(run, path, held, (event) => {
    // The share it had on arrival, not one computed with the settle's profile and time (held-shares-kept).
    const shares = taken.get(event.id);
    if (shares) giveBackShares(run, path, event, shares);
  });
  if (placeOf(path) === where && run.state.paths.includes(path)) tryTransitions(run, path, state, candidates, null, true);
}

/**
 * The held events, with each timer that fell due during the actions fired where it fell among them (heldBefore):
 * a timer is not due for an event that came before it. The first input that moves the path ends this; the events
 * not taken then arrive where it is. `giveBack` puts an event's share back just before it is taken.
 */
function takeInOrder(run: Run, path: PathState, held: EventFacts[], giveBack?: (event: EventFacts) => void): void {
  const state = path.state;
  const visit = path.visits[state];
  const moved = () => !run.state.paths.includes(path) || path.state !== state || path.visits[state] !== visit;
  const pending = path.timers.filter((t) => t.due);
  for (const t of pending) t.due = false;
  const fireDue = (upTo: number): boolean => {
    for (const t of pending.filter((p) => !p.due && (p.heldBefore ?? 0) <= upTo)) {
      t.due = true;
      tryTransitions(run, path, run.plan.states[state], [run.plan.states[state].transitions[t.transition]], null, false);
      if (moved()) return true;
    }
    return false;
  };
  for (const [i, event] of held.entries()) {
    if (fireDue(i)) {
      if (run.heldEventsAndSplitArms && run.state.paths.includes(path)) arriveLate(run, path, held.slice(i));
      return;
    }
    giveBack?.(event);
    onEvent(run, path, event);
    if (moved()) {
      if (run.heldEventsAndSplitArms && run.state.paths.includes(path)) arriveLate(run, path, held.slice(i + 1));
      return;
    }
  }
  fireDue(held.length);
  // Timers of a state the path is still in stay due for settle's last check.
  for (const t of pending) t.due = true;
}

/** The first of `candidates` that fires now, with its verdict; none fires: null. Nothing is taken. */
function firstFiring(run: Run, path: PathState, candidates: readonly CompiledTransition[]): { transition: CompiledTransition; verdict: Extract<Verdict, { fires: true }> } | null {
  for (const transition of candidates) {
    const verdict = check(run, path, transition, null, true);
    if (verdict.fires) return { transition, verdict };
  }
  return null;
}

/** Runs `judge` with the path's aggregates as they were before `events` came (their shares taken out of a copy). */
function withoutShares<T>(run: Run, path: PathState, events: readonly EventFacts[], judge: () => T): T {
  const window = path.window;
  const before = cloneJson(window);
  for (const e of events) removeEvent(before, e.id, run.exactHeldAndFolded);
  path.window = before;
  try {
    return judge();
  } finally {
    path.window = window;
  }
}

/** The state and its visit: a path that moved, even back into the same state, has another. */
function placeOf(path: PathState): string {
  return `${path.state}/${path.visits[path.state]}`;
}

/** Before routedEntriesHeldEvents: the held events still there after settle's own checks (none, when these moved the path). */
function takeDeferred(run: Run, path: PathState): void {
  const events = path.deferred ?? [];
  delete path.deferred;
  takeHeld(run, path, events);
}

/**
 * Events that arrived while the actions ran, in order. Once one of them moves
 * the path on, the rest arrive in the state it is in now, counted in its
 * aggregates, as they would have had they come after the actions
 * (heldEventsAndSplitArms; before it they were dropped).
 */
function takeHeld(run: Run, path: PathState, events: EventFacts[]): void {
  const state = path.state;
  const visit = path.visits[state];
  for (const [i, event] of events.entries()) {
    if (!run.state.paths.includes(path)) return;
    if (path.state !== state || path.visits[state] !== visit) {
      if (run.heldEventsAndSplitArms) arriveLate(run, path, events.slice(i));
      return;
    }
    onEvent(run, path, event);
  }
}

function arriveLate(run: Run, path: PathState, events: EventFacts[]): void {
  for (const event of events) {
    if (!run.state.paths.includes(path)) return;
    const counted = addContributions(run.plan, path.window, event, baseFacts(run, path), run.exactHeldAndFolded);
    onEvent(run, path, event, counted);
  }
}

/** Whether an `on` of some state of the plan waits for this type: a move made on arrival may lead to it. */
function someStateWaitsFor(run: Run, type: string): boolean {
  return Object.values(run.plan.states).some((s) => Object.hasOwn(s.onByType, type));
}

const tooLargeToHold = (path: PathState, event: EventFacts): string =>
  `${path.state}: actions still running; ${event.type} ${event.id} is too large to hold until they finish (over ${LIMITS.deferredBytes} bytes)`;

/**
 * An event for this path. While its state's actions run, one that an `on` of the state waits for is held until
 * they finish; so is, with held-events-in-order, one that counted in the path's aggregates (`counted`) or that an
 * `on` of another state waits for, so that each is judged in its turn then (settleInArrivalOrder).
 */
export function onEvent(run: Run, path: PathState, event: EventFacts, counted = false): void {
  if (!path.actionsDone) {
    const waitsForIt = run.plan.states[path.state].transitions.some((t) => t.kind === 'on' && t.eventType === event.type);
    const mattersLater = !waitsForIt && run.deferEvents && run.routedEntriesHeldEvents && (counted || someStateWaitsFor(run, event.type));
    if ((waitsForIt || (mattersLater && heldInOrder(run))) && run.deferEvents) {
      // Too large to hold by itself: the events held before it stay (journey-weighed-whole; before it they were all dropped).
      if (run.journeyWeighed && jsonBytes(event) > LIMITS.deferredBytes) {
        note(run, { kind: 'ignored', pathId: path.pathId, message: tooLargeToHold(path, event) });
        return;
      }
      const all = [...(path.deferred ?? []), event];
      // Past the count bound, those no `on` waits for go first (held-bound-keeps-awaited).
      const { kept, byCount, byBytes, dropped } = boundHeld(run, all, (e) => someStateWaitsFor(run, e.type));
      if (run.exactHeldAndFolded) keepTimerPlaces(path, dropped);
      path.deferred = kept;
      if (kept.length === 0) {
        note(run, { kind: 'ignored', pathId: path.pathId, message: tooLargeToHold(path, event) });
        return;
      }
      note(run, {
        kind: 'waiting',
        pathId: path.pathId,
        message: `${path.state}: actions still running; ${event.type} ${event.id} is taken when they finish${droppedHeld(byCount, byBytes)}`,
      });
      return;
    }
    note(run, { kind: 'waiting', pathId: path.pathId, message: `${path.state}: actions still running; transitions wait (the event still counts in aggregates)` });
    return;
  }
  const state = run.plan.states[path.state];
  const due = dueTransitions(path);
  const candidates = state.transitions.filter(
    (t) => (t.kind === 'on' && t.eventType === event.type) || t.kind === 'when' || due.has(t.index),
  );
  tryTransitions(run, path, state, candidates, event, false);
}

/** What the held events' bounds dropped, for the trace (a note only: no command changes). */
function droppedHeld(byCount: number, byBytes: number): string {
  const why = [
    ...(byCount > 0 ? [`${byCount} older held event(s) dropped: at most ${LIMITS.deferredEvents} are held`] : []),
    ...(byBytes > 0 ? [`${byBytes} older held event(s) dropped: what is held may weigh ${LIMITS.deferredBytes} bytes`] : []),
  ];
  return why.length > 0 ? ` (${why.join('; ')})` : '';
}

/**
 * A due timer's place among the held events (heldBefore) counts the events
 * held before it: when some of them are dropped (at these indexes of the held
 * list), it counts those left, so no event that came after it moves ahead.
 */
export function keepTimerPlaces(path: PathState, droppedIndexes: readonly number[]): void {
  if (droppedIndexes.length === 0) return;
  for (const timer of path.timers) {
    const place = timer.heldBefore;
    if (place !== undefined) timer.heldBefore = place - droppedIndexes.filter((i) => i < place).length;
  }
}

export function onTimer(run: Run, path: PathState, transition: number): void {
  const timer = path.timers.find((t) => t.transition === transition);
  // Its place among held events is where it first fell due: a second firing (restarted by a new run) must not move it.
  const firstFiring = timer !== undefined && !(timer.due && run.timerPlaceKept);
  if (timer) timer.due = true;
  if (timer && firstFiring && !path.actionsDone && run.routedEntriesHeldEvents) timer.heldBefore = path.deferred?.length ?? 0;
  if (!path.actionsDone) {
    note(run, { kind: 'waiting', pathId: path.pathId, message: `${path.state}: timer is due but actions are still running; it fires when they finish` });
    return;
  }
  const state = run.plan.states[path.state];
  tryTransitions(run, path, state, whenOrDue(state, path), null, false);
}

/** What may fire without an event: every `when`, and the timers already due. */
function whenOrDue(state: CompiledState, path: PathState): CompiledTransition[] {
  const due = dueTransitions(path);
  return state.transitions.filter((t) => t.kind === 'when' || due.has(t.index));
}

/**
 * A cancel took an event out of this path's aggregates: a `when` that reads
 * them may hold now (`count(...) < 3`), so it is checked then rather than at
 * the next event. Nothing is checked while the state's actions run.
 */
export function onAggregatesChanged(run: Run, path: PathState): void {
  if (!path.actionsDone) return;
  const state = run.plan.states[path.state];
  const candidates = whenOrDue(state, path);
  if (candidates.length > 0) tryTransitions(run, path, state, candidates, null, false);
}

function tryTransitions(
  run: Run,
  path: PathState,
  state: CompiledState,
  candidates: readonly CompiledTransition[],
  event: EventFacts | null,
  onArrival: boolean,
): void {
  const misses: CandidateTrace[] = [];
  for (const t of candidates) {
    const verdict = check(run, path, t, event, onArrival);
    if (verdict.fires) {
      take(run, path, t, verdict);
      return;
    }
    misses.push(verdict.trace);
  }
  if (candidates.length === 0 && onArrival) return;
  note(run, {
    kind: 'noTransition',
    pathId: path.pathId,
    message: candidates.length === 0
      ? `${state.name}: nothing waits for ${event ? event.type : 'this'} here`
      : `${state.name}: no transition fired`,
    candidates: boundCandidates(misses),
  });
}

function check(
  run: Run,
  path: PathState,
  t: CompiledTransition,
  event: EventFacts | null,
  onArrival: boolean,
): Verdict {
  // What the next state inherits when the transition fires in the instant of arrival.
  const inherited = { event: path.trigger, causedBy: path.causedBy, snapshot: path.snapshot, ...(path.snapshotCauses ? { snapshotCauses: path.snapshotCauses } : {}) };
  switch (t.kind) {
    case 'immediate': {
      if (t.condition) {
        const facts = arrivalFacts(run, path);
        if (!t.condition.evaluate(facts)) return { fires: false, trace: candidateTrace(t.text, t.condition.explain(facts), false) };
      }
      // A branch reading aggregates names the events that counted in them, as a `when` does (aggregate-branch-causes).
      const helped = t.condition ? branchHelped(path, t.condition.aggregates) : [];
      return { fires: true, to: t.to, arrival: helped.length === 0 ? inherited : { ...inherited, causedBy: [...path.causedBy, ...helped] } };
    }
    case 'split': {
      const visit = path.visits[path.state] ?? 1;
      // Once per journey (an A/B test keeps a user in one arm); before heldEventsAndSplitArms, per path and visit.
      const where = run.heldEventsAndSplitArms ? `${path.state}/${t.index}` : `${path.pathId}/${path.state}/${visit}/${t.index}`;
      const draw = seededDraw(run.state.seed, where);
      const branch = t.branches[chooseWeighted(t.branches.map((b) => b.weight), draw)];
      return { fires: true, to: branch.to, arrival: inherited };
    }
    case 'after':
    case 'at':
      return {
        fires: true,
        to: t.to,
        arrival: { event: null, causedBy: path.causedBy, ...departing(run, path, t.to) },
      };
    case 'on':
    case 'when': {
      const facts = waitingFacts(run, path, event ?? (onArrival ? path.trigger : null));
      if (t.condition && !t.condition.evaluate(facts)) {
        return { fires: false, trace: candidateTrace(t.text, t.condition.explain(facts), false) };
      }
      // Newest first once bounded: enterState keeps the first LIMITS.causedBy of what comes before and these.
      const helped = !t.condition ? [] : run.boundedState ? newestContributors(path, t.condition.aggregates, run.exactHeldAndFolded) : contributors(path, t.condition.aggregates, run.exactHeldAndFolded);
      const noAggregates = !t.condition || t.condition.aggregates.length === 0;
      const causedBy = onArrival
        ? [...path.causedBy, ...helped]
        : [...(event && (t.kind === 'on' || noAggregates) ? [event.id] : []), ...helped];
      return {
        fires: true,
        to: t.to,
        arrival: {
          event: event ?? (onArrival ? path.trigger : null),
          causedBy,
          ...(onArrival ? { snapshot: inherited.snapshot, snapshotCauses: inherited.snapshotCauses } : departing(run, path, t.to)),
        },
      };
    }
  }
}

/** The snapshot a path leaving its state for `to` takes, with the events behind it that branches there may name. */
function departing(run: Run, path: PathState, to: string): Pick<Arrival, 'snapshot' | 'snapshotCauses'> {
  const snapshot = snapshotOf(run.plan, path.window, run.exactHeldAndFolded);
  const snapshotCauses = snapshotCausesFor(run, path, to);
  return snapshotCauses ? { snapshot, snapshotCauses } : { snapshot };
}

function take(run: Run, path: PathState, t: CompiledTransition, verdict: Extract<Verdict, { fires: true }>): void {
  if (countTransition(run, path) > LIMITS.transitionsPerStep) {
    noteAlways(run, {
      kind: 'ignored',
      pathId: path.pathId,
      message: `stopped in ${path.state}: more than ${LIMITS.transitionsPerStep} transitions for one input (conditions that keep firing back and forth?)`,
    });
    return;
  }
  const from = path.state;
  cancelPathTimers(run, path);
  // The journey log keeps the cause as text to read, not the whole condition (it can run to hundreds of KiB).
  const cause = clip(t.kind === 'split' ? `${t.text} chose ${verdict.to}` : t.text, MAX_MESSAGE_CHARS);
  enterState(run, path, verdict.to, { ...verdict.arrival, cause }, from);
}

/**
 * Counts one more transition for this input and returns how many there were.
 * The bound is against one path's conditions firing back and forth, so each
 * path has its own (routedEntriesHeldEvents): 70 parallel paths that one
 * event moves all move. Before it, every path shared one count.
 */
function countTransition(run: Run, path: PathState): number {
  if (!run.routedEntriesHeldEvents) {
    run.transitions += 1;
    return run.transitions;
  }
  const count = (run.pathTransitions.get(path.pathId) ?? 0) + 1;
  run.pathTransitions.set(path.pathId, count);
  return count;
}

/** Removes the path from the active ones, keeping a short record of how it ended. */
export function endPath(run: Run, path: PathState, reason: string, ending: PathEnding): void {
  cancelPathTimers(run, path);
  run.state.paths = run.state.paths.filter((p) => p.pathId !== path.pathId);
  pushBounded(
    run.state.finished,
    { pathId: path.pathId, entryNo: path.entryNo, state: path.state, endedAt: run.nowIso, reason, ending },
    LIMITS.finishedPaths,
  );
  note(run, { kind: 'end', pathId: path.pathId, message: `path ended in ${path.state}: ${reason}` });
}
