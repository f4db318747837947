/**
 * step(plan, state, input) -> { state, effects, trace }: the whole journey
 * machine as one pure function (DESIGN.md decision 1). The input state is
 * never modified; the same arguments always give deep-equal results.
 */
import type { EventFacts } from '../conditions';
import type { CompiledPlan } from '../compiler';
import { isDateMs } from '../date-range';
import { toEpochMs, toIso } from '../time';
import { addContributions } from './aggregates';
import { cancelEvent } from './cancel';
import type { Effect } from './effects';
import { createPath, decideEntry } from './entry';
import { eventEntryCause, tickEntryCause, tickKeyId } from './entry-causes';
import { exitAllPaths, matchingExit } from './exit';
import { baseFacts, eventFacts, mergedProfile } from './facts';
import type { EventInput, JourneyInput, ScheduleChangedInput, ScheduledEntryInput } from './inputs';
import { applyOutcome } from './outcomes';
import { campaignEndsAt } from './schedule-end';
import { beginRun, emit, note, noteAlways, type Run } from './run';
import { LIMITS, pushBounded, seenOrCancelled, type JourneyState, type PathState } from './state';
import { findTimer } from './state-timers';
import type { TraceEntry } from './trace';
import { onEvent, onTimer } from './transitions';

export interface StepResult {
  state: JourneyState;
  effects: Effect[];
  /** What was decided for this input (also appended, bounded, to `state.trace`). */
  trace: TraceEntry;
}

export interface StepOptions {
  /**
   * Update `state` in place instead of working on a copy. For a caller that
   * owns the state and drops the old one at once (the workflow shell): the
   * copy is the dominant cost of a step once a journey has seen many events.
   */
  inPlace?: boolean;
  /**
   * Keep events that match an `on` transition while the state's actions run,
   * and take them when the actions finish (default). Off only to replay
   * journeys that ran before this existed.
   */
  deferEventsDuringActions?: boolean;
  /**
   * Escape `%` and `:` in each part of an idempotency key, so that two
   * different (user, step) pairs can never share one (default). Off only for
   * journeys that ran before this existed (patch encoded-reward-keys).
   */
  encodedIdempotencyKeys?: boolean;
  /**
   * Bound the events held while actions run by their bytes as well as their
   * number (LIMITS.deferredBytes), dropping the oldest first, as the count
   * does (default). Off only for journeys that ran before this existed
   * (patch deferred-events-budget).
   */
  deferredEventsBudget?: boolean;
  /**
   * A step not yet started whose causing event was cancelled is skipped,
   * whatever its kind, and a cancel that changes a path's aggregates checks
   * its `when` transitions at once (default). Off only for journeys that ran
   * before this existed (patch cancel-stops-effects), which skipped only
   * rewards, still sent the messages and webhooks a cancelled event caused,
   * and checked `when` again only at the next event.
   */
  cancelReachesAll?: boolean;
  /**
   * A reward whose causing event was cancelled while it was under way (being
   * issued, or held for an operator) reads `notIssued` when its outcome says
   * it was not issued (a held one released by the cancel), not `reclaimed`;
   * and its reclaim carries the cancel's reason (default). Off only for
   * journeys from before patch cancel-releases-held-rewards.
   */
  cancelReleasesHeld?: boolean;
  /**
   * Events held while a state's actions ran, that the path had not taken
   * when one of them moved it on, go to the state it is in now, in order,
   * as they would have had they arrived after the actions (before, they were
   * dropped); and a split draws its branch once per journey, so a returning
   * user takes the same arm on every entry and visit, as an A/B test needs
   * (before, each path and visit drew anew); and quiet hours whose local end
   * falls in a spring-forward gap end after the gap (before, at an instant
   * still inside them). Default; off only for journeys from before patch
   * held-events-and-split-arms.
   */
  heldEventsAndSplitArms?: boolean;
  /**
   * An `unlessHolding` coupon step that answered alreadyHolding (the user
   * keeps the coupon they hold) issued no reward of its own: it reads
   * notIssued, and cancelling its event reclaims nothing for it. Default;
   * off only for journeys from before patch already-holding-is-no-reward.
   */
  alreadyHoldingIsNoReward?: boolean;
  /**
   * A points or credit amount computed by an expression is rounded to the 15
   * significant digits a double holds (0.1 * 3 gives 0.3, not
   * 0.30000000000000004). Default; off only for journeys from before patch
   * rounded-amounts.
   */
  roundedAmounts?: boolean;
  /**
   * An event's entry is judged against the campaign's schedule window
   * (startsAt, endsAt) by when Kairos received it, when the event says: an
   * event accepted inside the window enters though Temporal was away until
   * after it closed, and one accepted before it opened does not. Default;
   * off only for journeys from before patch entry-window-by-receipt.
   */
  entryWindowByReceipt?: boolean;
  /**
   * A path records at most the newest LIMITS.causedBy events as the causes of
   * its rewards; a parallel journey runs at most LIMITS.activePaths paths and
   * admits none while its state weighs over LIMITS.entryStateBytes; reward
   * records past LIMITS.rewardBytes lose their oldest settled ones; a
   * message whose data weighs over LIMITS.messageDataBytes fails. Default;
   * off only for journeys from before patch bounded-journey-state.
   */
  boundedState?: boolean;
  /**
   * A scheduled entry is judged (the schedule window, and the audience's
   * `now`) at its tick's time when the batch sends it, as the batch judged
   * the user: a page that reaches the journey after local midnight no
   * longer refuses a user chosen by the day before; and a tick whose local
   * time (`tickKey`) the journey took already, the second run of a time a
   * clock change repeats, is ignored. Default; off only for journeys from
   * before patch scheduled-entry-at-tick.
   */
  entryAtTick?: boolean;
  /**
   * A scheduled entry's cooldown and frequency count years, months, weeks
   * and days on the calendar of the entry's zone (hours and less exact):
   * a weekly tick with `cooldown: P7D` comes 167 hours after the last one
   * across the spring clock change, and was refused that week. Default; off
   * only for journeys from before patch scheduled-cooldown-local-days.
   */
  tickCalendarDays?: boolean;
  /**
   * A scheduled entry's log row carries the tick's time (`entryAt`), which
   * its journey_entries row records: a later run of the journey counts
   * cooldown and frequency from there, as the running one does, not from
   * when the tick's page reached the user. Default; off only for journeys
   * from before patch entry-row-at-tick.
   */
  entryRowAtTick?: boolean;
  /**
   * Four fixes released together. An event delivered as a plain signal
   * (`delivery: 'signal'`: the API routed it to running journeys only, the
   * campaign paused or the type no entry of the active version) is never an
   * entry. Events held while a state's actions ran follow the path when a
   * `when`, a due timer or a branch moves it at settle, rather than being
   * dropped. The starting event reaches the initial state's `on` transitions
   * when that state has actions (held until they finish). The transitions
   * per input are counted per path, so many parallel paths do not share one
   * budget. Default; off only for journeys from before patch
   * routed-entries-held-events.
   */
  routedEntriesHeldEvents?: boolean;
  /**
   * The reward records' count cap (LIMITS.rewards) drops the oldest settled
   * records only: one whose step has not reported its outcome (its issue
   * under way, or reclaimed by a cancel meanwhile) stays, so that a cancel
   * reclaims it and a late outcome finds it. Default; off only for journeys
   * from before patch unsettled-rewards-kept.
   */
  unsettledRewardsKept?: boolean;
  /**
   * A timer that fires again once it is due (a continue-as-new carried its
   * firing and the next run started the timer again) keeps the place among
   * held events it took when it first fell due: settle takes it before the
   * events that came after it. Default; off only for journeys from before
   * patch ended-paths-hold-nothing (the second firing moved it behind them).
   */
  timerPlaceKept?: boolean;
  /**
   * An event's entry is judged at when Kairos received it, when the event
   * says (`receivedAt`), throughout: cooldown, frequency, and `now()` in
   * `entry.if` and the audience, as the schedule window is; and the entry is
   * recorded at that time (the entry times cooldown and frequency count
   * from, and the log row's `entryAt`, its journey_entries row). A delivery
   * that reached the journey late, after an outage, no longer decides by
   * its lateness. A receipt later than the delivery (the API host's clock
   * ahead of Temporal's) counts as the delivery's time, for the schedule
   * window too: no entry is judged or recorded in the future. Default; off
   * only for journeys from before patch entry-times-by-receipt (they judged
   * these at the delivery).
   */
  entryTimesByReceipt?: boolean;
  /**
   * An event sent with the id of the aggregates' summary of folded events
   * (`(earlier events)`) counts as any other event, and a cancel of it takes
   * out only its own share: the summary is told by its value. A timer that
   * fell due while actions ran keeps its place among the held events when
   * held events before it are dropped (a cancel, the held events' bounds):
   * an event that came after the deadline is never taken before it.
   * Default; off only for journeys from before patch exact-held-and-folded.
   */
  exactHeldAndFolded?: boolean;
  /**
   * An event too large to hold while actions run (over
   * LIMITS.deferredBytes by itself) is not held, and the events held before
   * it stay. Default; off only for journeys from before patch
   * journey-weighed-whole (it dropped them all).
   */
  journeyWeighed?: boolean;
  /**
   * Asked when a number a condition computed (a sum or an average read,
   * arithmetic) reads otherwise as a decimal than as its double (2.4 + 14.2
   * + 3.4 is 20, not 19.999999999999996): true, the decimal. Absent: always
   * the decimal. A journey asks patch decimal-readings there, so journeys
   * from before it read the double where they did. A journey from before
   * rounded-amounts (roundedAmounts false) reads the double throughout.
   */
  decimals?: () => boolean;
  /**
   * Asked where the events a path takes while its state's actions run are
   * judged otherwise than before (review-60-workflows finding 1): true, each
   * event that counts in an aggregate or that some `on` of the plan waits
   * for is held, and when the actions finish every held event is judged on
   * the aggregates of what came before it, as without actions; false, only
   * those an `on` of the state waits for were held, each judged with the
   * shares of every event that came while the actions ran. Absent: true. A
   * journey asks patch held-events-in-order there.
   */
  heldInOrder?: () => boolean;
  /**
   * Asked where a path leaves a state by a timer, an event or a `when` for
   * a state whose immediate branches read aggregates, and events counted in
   * those (review-63-machine finding 1): true, the path carries those
   * events, and a branch that reads them and fires names them as causes of
   * what follows (its rewards record them, so cancelling one reclaims
   * them), as a `when` or an `on … if` reading the same aggregates does;
   * false, the branch named none. Absent: true. A journey asks patch
   * aggregate-branch-causes there.
   */
  snapshotCauses?: () => boolean;
  /**
   * Asked where a path holding events while its state's actions run passes
   * LIMITS.deferredEvents and the events kept would differ (review-63-machine
   * finding 3): true, the oldest events that no `on` of any state waits for
   * are dropped first, and those an `on` waits for go only when more than
   * the bound of them are held; false, the oldest were dropped whatever they
   * were (a checkout followed by 20 page views lost the checkout). Absent:
   * true. A journey asks patch held-bound-keeps-awaited there.
   */
  awaitedHeldKept?: () => boolean;
  /**
   * Asked where, as a path's actions finish, a held event's share of its
   * aggregates goes back and the share computed now would differ from the
   * one it had on arrival (an aggregate's filter reading `user.*`,
   * `journey.*` or `now()`; review-63-machine finding 4): true, the share it
   * had on arrival goes back; false, it was computed again with the profile
   * of the latest event, at the settle's time. Absent: true. A journey asks
   * patch held-shares-kept there.
   */
  heldSharesKept?: () => boolean;
}

export function step(plan: CompiledPlan, state: JourneyState, input: JourneyInput, options: StepOptions = {}): StepResult {
  const now = toEpochMs(input.now);
  const described = describeInput(input);
  // Past the range of Date, every time the journey writes would throw: such a `now` cannot be handled.
  if (!isDateMs(now)) return unchanged(state, described, 'ignored: `now` is not a time');
  // Rewards outlive the journey: a cancellation or a late outcome must still reach them.
  const afterEnd = input.kind === 'cancelEvent' || input.kind === 'actionOutcome';
  if (state.status === 'ended' && !afterEnd) return unchanged(state, described, `ignored: the journey ended (${state.endReason ?? 'ended'})`);
  if (input.kind === 'event' && seenOrCancelled(state, input.event.id)) return unchanged(state, described, `ignored: event ${input.event.id} was already received`);
  if (input.kind === 'scheduledEntry' && seenOrCancelled(state, `tick:${input.tickId}`)) return unchanged(state, described, `ignored: tick ${input.tickId} was already handled`);
  if (input.kind === 'scheduledEntry' && options.entryAtTick !== false && input.tickKey && seenOrCancelled(state, tickKeyId(input.tickKey))) {
    return unchanged(state, described, `ignored: a tick for ${input.tickKey} (local time) was already handled; a clock change ran that time twice`);
  }

  const run = beginRun(plan, state, now, {
    inPlace: options.inPlace,
    deferEvents: options.deferEventsDuringActions,
    encodedKeys: options.encodedIdempotencyKeys,
    deferredBudget: options.deferredEventsBudget,
    cancelReachesAll: options.cancelReachesAll,
    cancelReleasesHeld: options.cancelReleasesHeld,
    heldEventsAndSplitArms: options.heldEventsAndSplitArms,
    alreadyHoldingIsNoReward: options.alreadyHoldingIsNoReward,
    roundedAmounts: options.roundedAmounts,
    entryWindowByReceipt: options.entryWindowByReceipt,
    boundedState: options.boundedState,
    entryAtTick: options.entryAtTick,
    tickCalendarDays: options.tickCalendarDays,
    entryRowAtTick: options.entryRowAtTick,
    routedEntriesHeldEvents: options.routedEntriesHeldEvents,
    unsettledRewardsKept: options.unsettledRewardsKept,
    timerPlaceKept: options.timerPlaceKept,
    entryTimesByReceipt: options.entryTimesByReceipt,
    exactHeldAndFolded: options.exactHeldAndFolded,
    journeyWeighed: options.journeyWeighed,
    decimals: options.decimals,
    heldInOrder: options.heldInOrder,
    snapshotCauses: options.snapshotCauses,
    awaitedHeldKept: options.awaitedHeldKept,
    heldSharesKept: options.heldSharesKept,
  });
  const statesBefore = journeyStates(run.state);
  switch (input.kind) {
    case 'event':
      handleEvent(run, input);
      break;
    case 'scheduledEntry':
      handleScheduledEntry(run, input);
      break;
    case 'timer': {
      const found = findTimer(run.state.paths, input.timerId);
      if (found) onTimer(run, found.path, found.timer.transition);
      else note(run, { kind: 'ignored', message: `timer ${input.timerId} belongs to a state the journey has left` });
      break;
    }
    case 'actionOutcome':
      applyOutcome(run, input);
      break;
    case 'cancelEvent':
      cancelEvent(run, input.eventId, input.reason);
      break;
    case 'exit':
      exitAllPaths(run, `exit: ${input.reason}`);
      endJourney(run, input.reason);
      break;
    case 'campaignArchived':
      if (run.state.campaignArchived) {
        note(run, { kind: 'ignored', message: 'the campaign was already archived' });
        break;
      }
      run.state.campaignArchived = true;
      if (run.state.paths.length > 0) note(run, { kind: 'waiting', message: `the campaign was archived: the journey ends when its ${run.state.paths.length === 1 ? 'path ends' : `${run.state.paths.length} paths end`}` });
      break;
    case 'scheduleEnded': {
      // finish() ends an idle journey once `endsAt` has passed; one woken before it (a capped wait) waits on.
      const endsAt = campaignEndsAt(run.plan, run.state);
      if (!scheduleHasEnded(run)) note(run, { kind: 'ignored', message: `the campaign's schedule ends at ${endsAt === null ? 'no set time' : toIso(endsAt)}: waiting on` });
      break;
    }
    case 'scheduleChanged':
      takeScheduleTold(run, input);
      break;
  }
  return finish(run, described, statesBefore);
}

function handleEvent(run: Run, input: EventInput): void {
  const { state, plan } = run;
  const event = eventFacts(input.event);
  pushBounded(state.seenEventIds, event.id, LIMITS.seenEventIds);
  state.profile = input.user ?? {};
  state.user = mergedProfile(state.profile, input.event);

  const exit = matchingExit(run, event);
  if (exit) {
    if (state.paths.length > 0) exitAllPaths(run, `exitOn ${exit.eventType}`);
    else note(run, { kind: 'exit', message: `exitOn ${exit.eventType}: no active path` });
    return;
  }

  // Decided on the state before the event: the event that finishes a path must not also start the next one.
  const received = run.entryWindowByReceipt ? receiptOf(input.event.receivedAt) : undefined;
  // An event cannot have been received after it reached the journey: a receipt ahead of now (the API host's clock
  // ahead of Temporal's) is judged and recorded at now, not as a future entry time (entryTimesByReceipt only).
  const receivedAt = received !== undefined && run.entryTimesByReceipt ? Math.min(received, run.now) : received;
  const entryType = plan.entryTypes.includes(event.type);
  const routedAsEntry = !(run.routedEntriesHeldEvents && input.signalOnly === true);
  const verdict = entryType && routedAsEntry ? decideEntry(run, event, receivedAt === undefined ? undefined : { receivedAt }) : entryType ? NOT_ROUTED_AS_ENTRY : null;
  for (const path of [...state.paths]) {
    if (!state.paths.includes(path)) continue;
    const counted = addContributionsFor(run, path, event);
    onEvent(run, path, event, counted);
  }
  if (verdict?.ok) createPath(run, event, eventEntryCause(event.type, event.id), run.entryTimesByReceipt ? receivedAt : undefined);
  // Why an entry was refused is the note an operator looks for: the paths' own notes must not crowd it out.
  else if (verdict) (run.boundedState ? noteAlways : note)(run, { kind: 'refused', message: verdict.reason });
}

/**
 * The verdict on an event of an entry type that the API delivered to running journeys only: its campaign is
 * paused, or the type starts no entry of the active version (a journey idle on a retired one must not enter on it).
 */
const NOT_ROUTED_AS_ENTRY = {
  ok: false as const,
  reason: 'no entry: Kairos delivered this event to running journeys only (the campaign is not active, or its active version does not enter on this type)',
};

/** Epoch ms of a well-formed receipt or tick time, or undefined (from a sender before they were sent, or a damaged one: judged by now). */
function receiptOf(receivedAt: unknown): number | undefined {
  if (typeof receivedAt !== 'string') return undefined;
  const ms = toEpochMs(receivedAt);
  return isDateMs(ms) ? ms : undefined;
}

function addContributionsFor(run: Run, path: PathState, event: EventFacts): boolean {
  return addContributions(run.plan, path.window, event, baseFacts(run, path), run.exactHeldAndFolded);
}

function handleScheduledEntry(run: Run, input: ScheduledEntryInput): void {
  pushBounded(run.state.seenEventIds, `tick:${input.tickId}`, LIMITS.seenEventIds);
  if (run.entryAtTick && input.tickKey) pushBounded(run.state.seenEventIds, tickKeyId(input.tickKey), LIMITS.seenEventIds);
  run.state.profile = input.user ?? {};
  run.state.user = mergedProfile(run.state.profile, null);
  const tickAt = run.entryAtTick ? receiptOf(input.tickAt) : undefined;
  const verdict = decideEntry(run, null, tickAt === undefined ? undefined : { tickAt });
  if (verdict.ok) createPath(run, null, tickEntryCause(input.tickId), tickAt);
  else note(run, { kind: 'refused', message: verdict.reason });
}

/** Current states for the JourneyState search attribute: active paths, else where the last path ended. */
function journeyStates(state: JourneyState): string[] {
  if (state.paths.length > 0) return [...new Set(state.paths.map((p) => p.state))].sort();
  const last = state.finished[state.finished.length - 1];
  return last ? [last.state] : [];
}

/** Why a journey of an archived campaign ended: an archived campaign takes no entries again. */
const ARCHIVED_END = 'completed: the campaign was archived';

function endJourney(run: Run, reason: string): void {
  if (run.state.status === 'ended') return;
  run.state.status = 'ended';
  run.state.endReason = reason;
  emit(run, { kind: 'end', reason });
}

const scheduleHasEnded = (run: Run): boolean => {
  const endsAt = campaignEndsAt(run.plan, run.state);
  return endsAt !== null && run.now > endsAt;
};

/** The active version's schedule end, unless an activation after it was told already (told out of order). */
function takeScheduleTold(run: Run, input: ScheduleChangedInput): void {
  const before = run.state.scheduleTold;
  if (before && before.activatedAt >= input.activatedAt) {
    note(run, { kind: 'ignored', message: `the schedule of v${input.campaignVersion} was told after that of v${before.campaignVersion}, activated later` });
    return;
  }
  run.state.scheduleTold = { campaignVersion: input.campaignVersion, endsAt: input.endsAt, activatedAt: input.activatedAt };
  const ends = input.endsAt === null ? 'has no end' : `ends at ${toIso(input.endsAt)}`;
  note(run, { kind: 'waiting', message: `v${input.campaignVersion} was activated: the campaign's schedule ${ends}` });
}

/** Active, idle (may enter again), or ended (nothing can happen any more). */
function updateStatus(run: Run): void {
  const { state, plan } = run;
  if (state.status === 'ended') return;
  if (state.paths.length > 0) {
    state.status = 'active';
    return;
  }
  if (state.campaignArchived) endJourney(run, ARCHIVED_END);
  else if (state.entries >= plan.participation.maxEntries) endJourney(run, 'completed: no further entry allowed (maxEntries)');
  else if (scheduleHasEnded(run)) endJourney(run, 'completed: the campaign schedule ended');
  else state.status = 'idle';
}

function finish(run: Run, input: string, statesBefore: string[]): StepResult {
  updateStatus(run);
  const statesAfter = journeyStates(run.state);
  if (statesAfter.join('\u0000') !== statesBefore.join('\u0000')) {
    emit(run, { kind: 'updateSearchAttributes', JourneyState: statesAfter });
  }
  const trace: TraceEntry = { at: run.nowIso, input, notes: run.notes };
  pushBounded(run.state.trace, trace, LIMITS.traceEntries);
  return { state: run.state, effects: run.effects, trace };
}

function unchanged(state: JourneyState, input: string, why: string): StepResult {
  return { state, effects: [], trace: { at: '', input, notes: [{ kind: 'ignored', message: why }] } };
}

function describeInput(input: JourneyInput): string {
  switch (input.kind) {
    case 'event':
      return `event ${input.event.type} ${input.event.id}`;
    case 'scheduledEntry':
      return `scheduled entry ${input.tickId}`;
    case 'timer':
      return `timer ${input.timerId}`;
    case 'actionOutcome':
      return `outcome ${input.stepId} ${input.outcome}`;
    case 'cancelEvent':
      return `cancel ${input.eventId}`;
    case 'exit':
      return `exit ${input.reason}`;
    case 'campaignArchived':
      return 'campaign archived';
    case 'scheduleEnded':
      return 'campaign schedule ended';
    case 'scheduleChanged':
      return `campaign schedule of v${input.campaignVersion}`;
  }
}
