import type { StepOptions } from '../../domain/machine';

/** Behaviour switched on by `patched()` in the workflow, so journeys that ran before replay as they ran. */
export interface ShellFeatures {
  deferEventsDuringActions: boolean;
  /** Batched journey log, coalesced JourneyState upserts, profile read with the journey's start. */
  leanHistory: boolean;
  /** Idempotency keys with their parts escaped, so they cannot collide (issue 11). */
  encodedKeys: boolean;
  /** An event's `user` override applies to that event only, not to the events after it (issue 11). */
  userOverrideOnce: boolean;
  /** Every started effect awaited on its own, even two reclaims for the same event (issue 11). */
  distinctEffects: boolean;
  /** Ledger rewards (coupon, points, credit) as local activities. */
  localRewards: boolean;
  /** The events held while actions run bounded by their bytes too. */
  deferredBudget: boolean;
  /** Entries that reach an ended journey still finishing its effects start the next journey. */
  entriesAfterEnd: boolean;
  /** An idle journey moves to the version a new entry was routed to (patch entry-follows-activation). */
  entryFollowsActivation?: boolean;
  /**
   * An exit stops its paths' messages and webhooks still being sent; a
   * cancelled event stops what it caused and is not yet sent, and skips
   * steps not yet started whatever their kind (patch cancel-stops-effects).
   */
  cancelStopsEffects?: boolean;
  /**
   * A cancelled event also releases its reward steps held for an operator,
   * and an entry attempt on an idle journey reads the profile afresh (patch
   * cancel-releases-held-rewards).
   */
  cancelReleasesHeld?: boolean;
  /**
   * Held events a path had not taken when it moved on go to its new state,
   * a split draws once per journey, and quiet hours ending in a clock
   * change's gap end after it (patch held-events-and-split-arms).
   */
  heldEventsAndSplitArms?: boolean;
  /** A coupon step that answered alreadyHolding issued no reward of its own: notIssued, nothing to reclaim (patch already-holding-is-no-reward). */
  alreadyHoldingIsNoReward?: boolean;
  /** An amount an expression computes is rounded to the 15 digits a double holds (patch rounded-amounts). */
  roundedAmounts?: boolean;
  /** An event's entry is judged against the schedule window by when Kairos received it (patch entry-window-by-receipt). */
  entryWindowByReceipt?: boolean;
  /**
   * An entry kept for the next journey is checked against what this one took
   * and had cancelled, and a cancel removes it (patch kept-entries-checked).
   */
  keptEntriesChecked?: boolean;
  /** Messages carry the quiet hours, so every attempt keeps them, retries too (patch quiet-hours-every-attempt). */
  quietHoursEveryAttempt?: boolean;
  /** A ledger step skipped while held has its key reclaimed, so nothing a late commit issued stays (patch skip-voids-held-reward). */
  skipVoidsHeldReward?: boolean;
  /** Causes, parallel paths and reward records bounded as LIMITS says (patch bounded-journey-state). */
  boundedState?: boolean;
  /** A scheduled entry is judged at its tick's time (patch scheduled-entry-at-tick). */
  entryAtTick?: boolean;
  /** A scheduled entry's cooldown and frequency count days on the entry zone's calendar (patch scheduled-cooldown-local-days). */
  tickCalendarDays?: boolean;
  /** A scheduled entry's journey_entries row records the tick's time (patch entry-row-at-tick). */
  entryRowAtTick?: boolean;
  /** An event delivered as a plain signal is no entry; held events follow a move at settle; the starting event reaches the initial state's `on` while its actions run; each path has its own transition budget (patch routed-entries-held-events). */
  routedEntriesHeldEvents?: boolean;
  /** The reward records' count cap drops only settled records, never one whose issue is under way (patch unsettled-rewards-kept). */
  unsettledRewardsKept?: boolean;
  /**
   * A step that fails for good after its path ended is skipped, not held; a
   * skipped ledger step still being voided when the run continues as new is
   * carried as its void and its skipped outcome, not as work to do; an idle
   * journey moving to another version drops what it still held, and moves
   * with an inbox up to what the move's input holds; a timer firing twice
   * keeps its first place (patch ended-paths-hold-nothing).
   */
  endedPathsHoldNothing?: boolean;
  /**
   * A continue-as-new whose input would weigh over 1.75 MiB waits for the
   * work under way to settle, and a failed message or webhook is held only
   * while the held steps weigh at most 256 KiB (patch carried-work-bounded).
   */
  carriedWorkBounded?: boolean;
  /**
   * Known at the start: the journey recorded delivery-inputs-per-task, or a
   * later marker that stands for it. Else the delivery budget asks for that
   * patch where a delivery would wait.
   */
  deliveryInputsPerTask?: boolean;
  /**
   * An event's entry is judged (cooldown, frequency, `now()` in entry.if and
   * the audience) at when Kairos received it, and recorded at that time
   * (patch entry-times-by-receipt).
   */
  entryTimesByReceipt?: boolean;
  /**
   * The aggregates' summary of folded events is told by its value, not by an
   * id an event may carry too, and a due timer keeps its place when held
   * events before it are dropped (patch exact-held-and-folded).
   */
  exactHeldAndFolded?: boolean;
  /**
   * The whole journey is weighed before a new run, and lightened when it is
   * too heavy to carry (it stays in its run when that is not enough); an
   * event too large to hold leaves the events held before it (patch
   * journey-weighed-whole).
   */
  journeyWeighed?: boolean;
  /**
   * An idle journey ends at its campaign's `schedule.endsAt` without waiting
   * for an input; a held step is shown as JourneyState `(held)`, not `held`,
   * in a journey whose campaign version has a state named `held` (patch
   * schedule-end-held-apart).
   */
  scheduleEndHeldApart?: boolean;
}

/**
 * The `step` options a journey's features stand for: what its inputs are
 * stepped with, and its preview query too, so a journey from before a patch
 * previews as it runs (DESIGN.md decision 1). Every option is given (the
 * type says so): one left out would default to on, for journeys from before it too.
 */
export function stepOptionsOf(features: ShellFeatures): Required<Omit<StepOptions, 'inPlace' | 'decimals' | 'heldInOrder' | 'snapshotCauses' | 'awaitedHeldKept' | 'heldSharesKept'>> {
  return {
    deferEventsDuringActions: features.deferEventsDuringActions,
    encodedIdempotencyKeys: features.encodedKeys,
    deferredEventsBudget: features.deferredBudget,
    cancelReachesAll: features.cancelStopsEffects === true,
    cancelReleasesHeld: features.cancelReleasesHeld === true,
    heldEventsAndSplitArms: features.heldEventsAndSplitArms === true,
    alreadyHoldingIsNoReward: features.alreadyHoldingIsNoReward === true,
    roundedAmounts: features.roundedAmounts === true,
    entryWindowByReceipt: features.entryWindowByReceipt === true,
    boundedState: features.boundedState === true,
    entryAtTick: features.entryAtTick === true,
    tickCalendarDays: features.tickCalendarDays === true,
    entryRowAtTick: features.entryRowAtTick === true,
    routedEntriesHeldEvents: features.routedEntriesHeldEvents === true,
    unsettledRewardsKept: features.unsettledRewardsKept === true,
    timerPlaceKept: features.endedPathsHoldNothing === true,
    entryTimesByReceipt: features.entryTimesByReceipt === true,
    exactHeldAndFolded: features.exactHeldAndFolded === true,
    journeyWeighed: features.journeyWeighed === true,
  };
}

export interface ShellIdentity {
  workflowId: string;
  /** Journey-log keys are this plus the transition's sequence number. */
  logKeyPrefix: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
}
