/**
 * One call of `step`: the plan, a private copy of the state that the handlers
 * may change, the effects and trace notes collected so far, and the time.
 */
import type { CompiledPlan } from '../compiler';
import { toIso } from '../time';
import type { Effect } from './effects';
import type { JourneyState, PathState } from './state';
import { addNote, type TraceNote } from './trace';

export interface Run {
  readonly plan: CompiledPlan;
  readonly state: JourneyState;
  /** Epoch ms of workflow time. */
  readonly now: number;
  readonly nowIso: string;
  readonly effects: Effect[];
  readonly notes: TraceNote[];
  /** Transitions taken during this input, against `LIMITS.transitionsPerStep`. */
  transitions: number;
  /** Transitions each path took during this input, by path id, against `LIMITS.transitionsPerStep`: one path's `when` ping-pong must not use up the others' (routedEntriesHeldEvents; before it, `transitions` counted them all together). */
  readonly pathTransitions: Map<string, number>;
  /** Whether `on` events that arrive while actions run are kept for later (see StepOptions). */
  readonly deferEvents: boolean;
  /** Whether idempotency keys escape their parts (see StepOptions). */
  readonly encodedKeys: boolean;
  /** Whether the events held while actions run are also bounded by their bytes (see StepOptions). */
  readonly deferredBudget: boolean;
  /** Whether a cancelled cause skips every step not yet started, and a cancel checks `when` again (see StepOptions). */
  readonly cancelReachesAll: boolean;
  /** Whether a cancel's reason goes with its reclaims, and a reward under way that was not issued after all reads notIssued (see StepOptions). */
  readonly cancelReleasesHeld: boolean;
  /** Whether held events the path did not take before it moved on go to the state it is in now, a split is drawn once per journey, and quiet hours ending in a clock change's gap end after it (see StepOptions). */
  readonly heldEventsAndSplitArms: boolean;
  /** Whether a coupon step that answered alreadyHolding reads notIssued, with nothing to reclaim (see StepOptions). */
  readonly alreadyHoldingIsNoReward: boolean;
  /** Whether an amount an expression computes is rounded to the 15 digits a double holds (see StepOptions). */
  readonly roundedAmounts: boolean;
  /** Whether an event's entry is judged against the schedule window by when Kairos received it (see StepOptions). */
  readonly entryWindowByReceipt: boolean;
  /** Whether causes, parallel paths and reward records are bounded as LIMITS says (see StepOptions). */
  readonly boundedState: boolean;
  /** Whether a scheduled entry is judged at its tick's time (see StepOptions). */
  readonly entryAtTick: boolean;
  /** Whether a scheduled entry's cooldown and frequency count days on the entry zone's calendar (see StepOptions). */
  readonly tickCalendarDays: boolean;
  /** Whether a scheduled entry's log row carries the tick's time for its journey_entries row (see StepOptions). */
  readonly entryRowAtTick: boolean;
  /** Whether signal deliveries are no entries, held events follow a move at settle, the starting event reaches the initial state's `on`, and paths budget transitions apart (see StepOptions). */
  readonly routedEntriesHeldEvents: boolean;
  /** Whether the reward records' count cap spares unsettled records (see StepOptions). */
  readonly unsettledRewardsKept: boolean;
  /** Whether a timer that fires again once due keeps the place it took among held events (see StepOptions). */
  readonly timerPlaceKept: boolean;
  /** Whether an event's entry is judged and recorded at when Kairos received it (see StepOptions). */
  readonly entryTimesByReceipt: boolean;
  /** Whether the summary of folded aggregate events is told by its value, and a timer keeps its place when held events before it are dropped (see StepOptions). */
  readonly exactHeldAndFolded: boolean;
  /** Whether an event too large to hold by itself leaves the events held before it (see StepOptions). */
  readonly journeyWeighed: boolean;
  /** Whether a computed number reads as its decimal where that differs from its double (see StepOptions); absent: it does. */
  readonly decimals?: () => boolean;
  /** Whether every event a path takes while its actions run is held and judged in the order it came (see StepOptions); absent: it is. */
  readonly heldInOrder?: () => boolean;
  /** Whether a branch that reads aggregates names the events that counted in them as causes (see StepOptions); absent: it does. */
  readonly snapshotCauses?: () => boolean;
  /** Whether, past the count bound of held events, those no `on` waits for are dropped first (see StepOptions); absent: they are. */
  readonly awaitedHeldKept?: () => boolean;
  /** Whether a held event's share taken out at settle is put back as it was on arrival (see StepOptions); absent: it is. */
  readonly heldSharesKept?: () => boolean;
}

export interface RunOptions {
  inPlace?: boolean;
  deferEvents?: boolean;
  encodedKeys?: boolean;
  deferredBudget?: boolean;
  cancelReachesAll?: boolean;
  cancelReleasesHeld?: boolean;
  heldEventsAndSplitArms?: boolean;
  alreadyHoldingIsNoReward?: boolean;
  roundedAmounts?: boolean;
  entryWindowByReceipt?: boolean;
  boundedState?: boolean;
  entryAtTick?: boolean;
  tickCalendarDays?: boolean;
  entryRowAtTick?: boolean;
  routedEntriesHeldEvents?: boolean;
  unsettledRewardsKept?: boolean;
  timerPlaceKept?: boolean;
  entryTimesByReceipt?: boolean;
  exactHeldAndFolded?: boolean;
  journeyWeighed?: boolean;
  decimals?: () => boolean;
  heldInOrder?: () => boolean;
  snapshotCauses?: () => boolean;
  awaitedHeldKept?: () => boolean;
  heldSharesKept?: () => boolean;
}

export function beginRun(plan: CompiledPlan, state: JourneyState, now: number, options: RunOptions = {}): Run {
  return {
    plan,
    state: options.inPlace ? state : cloneJson(state),
    now,
    nowIso: toIso(now),
    effects: [],
    notes: [],
    transitions: 0,
    pathTransitions: new Map(),
    deferEvents: options.deferEvents ?? true,
    encodedKeys: options.encodedKeys ?? true,
    deferredBudget: options.deferredBudget ?? true,
    cancelReachesAll: options.cancelReachesAll ?? true,
    cancelReleasesHeld: options.cancelReleasesHeld ?? true,
    heldEventsAndSplitArms: options.heldEventsAndSplitArms ?? true,
    alreadyHoldingIsNoReward: options.alreadyHoldingIsNoReward ?? true,
    roundedAmounts: options.roundedAmounts ?? true,
    entryWindowByReceipt: options.entryWindowByReceipt ?? true,
    boundedState: options.boundedState ?? true,
    entryAtTick: options.entryAtTick ?? true,
    tickCalendarDays: options.tickCalendarDays ?? true,
    entryRowAtTick: options.entryRowAtTick ?? true,
    routedEntriesHeldEvents: options.routedEntriesHeldEvents ?? true,
    unsettledRewardsKept: options.unsettledRewardsKept ?? true,
    timerPlaceKept: options.timerPlaceKept ?? true,
    entryTimesByReceipt: options.entryTimesByReceipt ?? true,
    exactHeldAndFolded: options.exactHeldAndFolded ?? true,
    journeyWeighed: options.journeyWeighed ?? true,
    // A journey from before rounded-amounts issues its amounts as the doubles computed them: it reads them so throughout.
    decimals: options.roundedAmounts === false ? () => false : options.decimals,
    heldInOrder: options.heldInOrder,
    snapshotCauses: options.snapshotCauses,
    awaitedHeldKept: options.awaitedHeldKept,
    heldSharesKept: options.heldSharesKept,
  };
}

export function emit(run: Run, effect: Effect): void {
  run.effects.push(effect);
}

export function note(run: Run, entry: TraceNote): void {
  addNote(run.notes, entry);
}

/** A note kept whatever the trace's bound: why a path stopped where it did. */
export function noteAlways(run: Run, entry: TraceNote): void {
  addNote(run.notes, entry, true);
}

export function findPath(run: Run, pathId: string): PathState | undefined {
  return run.state.paths.find((p) => p.pathId === pathId);
}

/** The state is plain JSON by contract; this copy keeps `step` from touching its input. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
