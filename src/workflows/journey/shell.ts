import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledPlan } from '../../domain/compiler';
import { AFTER_END_LIMITS, alreadyTakenOrCancelled, entersAfterEnd, isEntryAttemptOnIdle, lightenToFit, scheduleEndWaitMs, withoutCancelledEntry, step, storedProfile, type Effect, type JourneyState, type StepOptions } from '../../domain/machine';
import { describeCurrentDetails } from '../../domain/machine/current-details';
import { journeyStateText, MAX_KEYWORD_CHARS } from '../../domain/machine/journey-state-text';
import { appendTrace } from '../../domain/machine/held-trace';
import { describeEntry, movedToVersion, versionToFollow } from '../../domain/machine/routed-entry';
import { jsonBytes } from '../../domain/json-size';
import { countJourneyEnd, countJourneyMove } from './journey-metrics';
import { PATCHES } from './patches';
import { HELD_STATE, heldMarkerFor, NO_STATE_SHOWN } from './contract';
import { lookups, lookupsProfile } from './activity-profiles';
import type { CarriedJourney, HeldAction, PendingInput } from './carried';
import type { HeldActionDecision, HeldActionRequest } from './contract';
import { EffectRunner } from './effect-runner';
import { HeldActions } from './held-actions';
import { JourneyLogWriter } from './journey-log';
import { stepOptionsOf, type ShellFeatures, type ShellIdentity } from './shell-options';
import { ShownJourneyState } from './shown-journey-state';

export type { ShellFeatures, ShellIdentity };

/** Continue-as-new well before this many history events (issue 4: every run stays under 4,000). */
export const HISTORY_BOUND = 4000;
export const CONTINUE_AT = 2000;
/** Inputs handled in one workflow task before yielding, which keeps tasks well under their timeout. */
const INPUTS_PER_TASK = 100;
/**
 * What the inbox may weigh as JSON and still travel with a continue-as-new
 * (its input, the state included, must stay under Temporal's 2 MB): past
 * it, the run first handles inputs until the rest fits (patch
 * deferred-events-budget). A burst of large events once made an input
 * Temporal refused, on every attempt.
 */
const CARRY_INBOX_BYTES = 512 * 1024;
/**
 * What a move to another version may carry as JSON in all (patch
 * ended-paths-hold-nothing): an idle journey has no paths, so its state is
 * weighed as it is and the inbox may take the rest, still well under
 * Temporal's 2 MB. With the inbox's own bound alone, a backlog over 512 KiB
 * (an outage's queued events) had the routed entry decided on the old
 * version.
 */
const CARRY_MOVE_BYTES = 1536 * 1024;
/**
 * What a continue-as-new's input may weigh as JSON in all (patch
 * carried-work-bounded), under Temporal's 2 MB with room for its envelope:
 * messages and webhooks under way travel with their data, which nothing else
 * weighed. Past it, the run waits for that work to settle first.
 */
const CARRY_TOTAL_BYTES = 1792 * 1024;
/**
 * A journey too heavy to carry even once lightened (patch
 * journey-weighed-whole) is weighed again after this many more history
 * events: weighing megabytes before each input could run a task past its
 * timeout, and what it holds changes only with inputs.
 */
const REWEIGH_AFTER_EVENTS = 100;
/** How long a loaded profile serves `user.*` facts before it is read again (workflow time). */
const PROFILE_TTL_MS = 60_000;

/**
 * The thin shell around `step` (DESIGN.md decision 1): it feeds the machine
 * one input at a time and carries out the effects it returns. It holds no
 * journey logic: timers, activities and records are its only business.
 * Effects run in the EffectRunner; steps that failed for good wait in
 * HeldActions for an operator.
 */
export class JourneyShell {
  private readonly inbox: PendingInput[];
  private readonly timers = new Map<string, CancellationScope>();
  private readonly effects: EffectRunner;
  private readonly held: HeldActions;
  private readonly log: JourneyLogWriter;
  private readonly stateAttribute: ShownJourneyState;
  private shownDetails = '';
  private transitionSeq: number;
  private profileLoadedAt: number | null;
  /** The profile read with the journey's start, for its first input. */
  private preloadedProfile: Record<string, unknown> | undefined;
  private ended = false;
  /** Entries that came after the journey ended, for the next journey (patch entries-after-end). */
  private readonly afterEnd: PendingInput[];
  private afterEndBytes = 0;
  private readonly inputBytes = new WeakMap<PendingInput, number>();
  /** When the carry last weighed too much, and with what work under way (see carriedWorkFits). */
  private tooHeavy?: { at: number; key: string };
  /** When the carry was last weighed (patch journey-weighed-whole), and whether it fit then (see weighedCarryFits). */
  private weighed?: { at: number; work: number; held: number; fits: boolean };
  /** The history length when the journey was last lightened to fit (see lightenWhenTooHeavy). */
  private lightenedAt?: number;
  /** What the journey's patches switch on in `step`: its inputs and its preview query use the same. */
  readonly stepOptions: StepOptions;
  /**
   * Asked where a path leaving a state carries the events behind its snapshot for the branches there (patch
   * aggregate-branch-causes). Given to the journey's own steps only, not in `stepOptions`: its preview query, which
   * may ask no patch, leaves it absent and so judges as any new decision would.
   */
  private readonly snapshotCauses = () => patched(PATCHES.aggregateBranchCauses);
  /**
   * Asked where, past the count bound of held events, dropping those no `on` waits for first keeps other events than
   * dropping the oldest (patch held-bound-keeps-awaited). Given to the journey's own steps only, as snapshotCauses.
   */
  private readonly awaitedHeldKept = () => patched(PATCHES.heldBoundKeepsAwaited);
  /**
   * Asked where a held event's share given back at settle would differ from the one it had on arrival (patch
   * held-shares-kept). Given to the journey's own steps only, as snapshotCauses.
   */
  private readonly heldSharesKept = () => patched(PATCHES.heldSharesKept);
  /** Set when runUntilDone hands over to a run on another campaign version (moveTo). */
  movedTo: number | undefined;
  readonly run: number;

  constructor(
    readonly id: ShellIdentity,
    readonly plan: CompiledPlan,
    public state: JourneyState,
    /** Inputs received before the shell existed (and the carried inbox), in arrival order. */
    inbox: PendingInput[],
    private readonly features: ShellFeatures,
    carried?: CarriedJourney,
    preloadedProfile?: Record<string, unknown>,
  ) {
    this.inbox = inbox;
    // Asked each time the decimal reading of a computed number differs from its double (and where held events are
    // judged otherwise in their order), as the SDK answers it: false while replaying a history from before the
    // patch, true for any new decision.
    this.stepOptions = {
      ...stepOptionsOf(features),
      decimals: () => patched(PATCHES.decimalReadings),
      heldInOrder: () => patched(PATCHES.heldEventsInOrder),
    };
    this.held = new HeldActions(
      () => {
        this.showState(this.currentStates());
        this.settle();
      },
      (entry) => appendTrace(this.state, entry),
    );
    this.log = new JourneyLogWriter(id, features.leanHistory);
    const quiet = plan.schedule.quietHours;
    this.effects = new EffectRunner(
      id,
      this.inbox,
      this.held,
      this.log,
      features,
      (pathId) => this.state.paths.some((p) => p.pathId === pathId),
      quiet ? { fromMinute: quiet.fromMinute, toMinute: quiet.toMinute, timezone: plan.schedule.timezone } : undefined,
    );
    this.stateAttribute = new ShownJourneyState(features.leanHistory, carried?.shownState);
    this.transitionSeq = carried?.transitionSeq ?? 0;
    this.profileLoadedAt = carried?.profileLoadedAt ?? null;
    if (preloadedProfile) {
      this.preloadedProfile = preloadedProfile;
      this.profileLoadedAt = Date.now();
    }
    this.run = (carried?.run ?? 0) + 1;
    this.ended = state.status === 'ended';
    this.afterEnd = [...(carried?.arrivedAfterEnd ?? [])];
    for (const pending of this.afterEnd) this.afterEndBytes += jsonBytes(pending);
    if (carried) this.resume(carried);
  }

  /** Settled for now: the JourneyState attribute and the current details in the Temporal UI show where it is. */
  private settle(): void {
    this.stateAttribute.flush();
    // Current details travel in a query answer, not in the history: refreshing them needs no patch.
    const details = describeCurrentDetails(
      this.plan,
      this.state,
      this.heldActions.map((h) => ({ stepId: h.effect.stepId, summary: h.effect.summary, error: h.error })),
    );
    if (details !== this.shownDetails) {
      setCurrentDetails(details);
      this.shownDetails = details;
    }
  }

  get heldActions(): HeldAction[] {
    return this.held.list();
  }

  /** Runs until the journey is over, or hands over to a new run. */
  async runUntilDone(): Promise<CarriedJourney | null> {
    let handledThisTask = 0;
    for (;;) {
      // Shown once the inputs at hand are handled, before the journey waits.
      if (this.inbox.length === 0) this.settle();
      const woken = () => this.inbox.length > 0 || this.finished() || this.readyToContinueAsNew();
      // An idle journey of a campaign whose schedule ends ends with it, not at some later input (patch schedule-end-held-apart).
      const untilScheduleEnds = this.features.scheduleEndHeldApart ? scheduleEndWaitMs(this.plan, this.state, Date.now()) : null;
      if (untilScheduleEnds === null) await condition(woken);
      else if (!(await condition(woken, untilScheduleEnds))) this.inbox.push({ version: 1, kind: 'scheduleEnded' });
      if (this.inbox.length === 0 && this.finished()) break;
      if (this.features.journeyWeighed) this.lightenWhenTooHeavy();
      // Checked before the next input, so a steady stream of signals cannot keep a run growing.
      if (this.readyToContinueAsNew() && this.inboxTravels()) {
        // Handlers must not be cut off mid-way; the inbox itself travels with the state.
        await condition(allHandlersFinished);
        this.settle();
        const carried = this.carryIfItFits();
        if (carried) return carried;
        continue;
      }
      const follow = this.features.entryFollowsActivation ? versionToFollow(this.state, this.plan.version, this.inbox[0]) : null;
      if (follow !== null && this.carryFits()) {
        const moved = await this.moveTo(follow);
        if (moved) return moved;
        // Not moved: its effects still run when the run must continue as new (the next run tries the move again), or
        // more came during the wait than a move can carry (the entry is taken here, as with a backlog too large to move).
        if (this.readyToContinueAsNew() && this.carryFits()) {
          await condition(allHandlersFinished);
          this.settle();
          const carried = this.carryIfItFits();
          if (carried) return carried;
          continue;
        }
      }
      await this.handle(this.inbox.shift()!);
      if (++handledThisTask >= INPUTS_PER_TASK && this.inbox.length > 0) {
        // A burst of signals lands in one workflow task; let that task complete
        // (and its history length update) before taking on the rest.
        this.settle();
        await sleep(1, { summary: 'pause between batches of events' });
        handledThisTask = 0;
      }
    }
    for (const scope of this.timers.values()) scope.cancel();
    return null;
  }

  private finished(): boolean {
    return this.ended && this.effects.size === 0 && this.held.size === 0;
  }

  /** Whether the inbox is small enough to carry into the next run (always, for journeys from before the patch). */
  private inboxTravels(): boolean {
    if (!this.features.deferredBudget || this.inbox.length === 0) return true;
    let bytes = 0;
    for (const pending of this.inbox) if ((bytes += this.bytesOf(pending)) > CARRY_INBOX_BYTES) return false;
    return true;
  }

  /** Whether an idle journey's state, inbox and kept entries fit in one move's input (patch ended-paths-hold-nothing). */
  private moveTravels(): boolean {
    if (!this.features.endedPathsHoldNothing) return false;
    let bytes = jsonBytes(this.state) + this.afterEndBytes;
    for (const pending of this.inbox) if ((bytes += this.bytesOf(pending)) > CARRY_MOVE_BYTES) return false;
    return true;
  }

  /** Whether a move (or a hand-over while an idle journey waits to move) can carry what the journey holds now. */
  private carryFits(): boolean {
    return this.inboxTravels() || this.moveTravels();
  }

  /** An input's JSON size, weighed once: the inbox is weighed again before each input while a large backlog waits. */
  private bytesOf(pending: PendingInput): number {
    let bytes = this.inputBytes.get(pending);
    if (bytes === undefined) this.inputBytes.set(pending, (bytes = jsonBytes(pending)));
    return bytes;
  }

  /** A stopped message or webhook settles first: carried, it would be started again by the next run. So does work too heavy to carry. */
  private readyToContinueAsNew(): boolean {
    return this.shouldContinueAsNew() && this.effects.stopping === 0 && this.carriedWorkFits();
  }

  /**
   * Whether the work under way fits in the next run's input beside the rest
   * (patch carried-work-bounded). When it does not, the run goes on and
   * continues as new once it has settled (messages, webhooks and rewards
   * have bounded attempts; journey-log writes and reclaims retry until
   * PostgreSQL answers), while an input over Temporal's limit is refused for
   * good. The carry is weighed again only in a later activation and with
   * other work under way: weighing megabytes before each of a task's inputs
   * could run the task past its timeout.
   */
  private carriedWorkFits(): boolean {
    if (!this.features.carriedWorkBounded) return true;
    if (this.features.journeyWeighed) return this.weighedCarryFits();
    const work = this.effects.unsettled().length;
    if (work === 0) return true;
    const at = workflowInfo().historyLength;
    const key = `${work}/${this.effects.size}/${this.held.size}`;
    if (this.tooHeavy !== undefined && (this.tooHeavy.at === at || this.tooHeavy.key === key)) return false;
    const fits = jsonBytes(this.carry()) <= CARRY_TOTAL_BYTES;
    this.tooHeavy = fits ? undefined : { at, key };
    return fits;
  }

  /**
   * Whether the whole carry fits in the next run's input, work under way or
   * not (patch journey-weighed-whole: parts bounded one by one, per path,
   * added up past Temporal's limit with nothing under way too). Weighed once
   * per activation; a carry that did not fit is weighed again only once it
   * may have become lighter: less work under way or fewer held steps than
   * when it was weighed, or REWEIGH_AFTER_EVENTS more history events (what
   * inputs changed). Work that starts and settles with every input must not
   * have megabytes weighed before each.
   */
  private weighedCarryFits(): boolean {
    const at = workflowInfo().historyLength;
    const work = this.effects.unsettled().length;
    const held = this.held.size;
    const last = this.weighed;
    if (last !== undefined && (last.at === at || (!last.fits && work >= last.work && held >= last.held && at < last.at + REWEIGH_AFTER_EVENTS))) return last.fits;
    const fits = jsonBytes(this.carry()) <= CARRY_TOTAL_BYTES;
    this.weighed = { at, work, held, fits };
    return fits;
  }

  /**
   * What the next run takes, weighed as it is handed over (patch
   * journey-weighed-whole): the weighing that let the run get here may be
   * from before inputs of the same task, or signals that came while its
   * handlers finished, made it heavier. Null, and remembered as too heavy,
   * when it does not fit: the run goes on, and Temporal never sees an input
   * it would refuse on every attempt.
   */
  private carryIfItFits(): CarriedJourney | null {
    const carried = this.carry();
    if (!this.features.journeyWeighed || jsonBytes(carried) <= CARRY_TOTAL_BYTES) return carried;
    this.weighed = { at: workflowInfo().historyLength, work: this.effects.unsettled().length, held: this.held.size, fits: false };
    return null;
  }

  /**
   * Before a new run, with no work under way: a journey whose carry does not fit gives up what
   * changes least of what it does (lightenToFit: old trace entries, then
   * aggregate contributions folded, settled reward records, held events),
   * just enough for the carry to fit. When that is not enough (its paths'
   * triggers and profile alone weigh too much), it stays in this run, said
   * in the log, until a later weighing finds it lighter.
   */
  private lightenWhenTooHeavy(): void {
    // Work under way settles by itself (carried-work-bounded waits for it): only what the journey keeps is given up.
    // Nor for a backlog too large to travel: the run handles it first, and it weighs nothing in the carry after.
    if (!this.shouldContinueAsNew() || this.effects.stopping > 0 || this.effects.unsettled().length > 0 || !this.inboxTravels() || this.weighedCarryFits()) return;
    const at = workflowInfo().historyLength;
    // Once lightened, what is left changes only with inputs: not lightened again before they could have added much.
    if (this.lightenedAt !== undefined && at < this.lightenedAt + REWEIGH_AFTER_EVENTS) return;
    this.lightenedAt = at;
    const others = jsonBytes(this.carry()) - jsonBytes(this.state);
    const result = lightenToFit(this.state, CARRY_TOTAL_BYTES - others, new Date().toISOString());
    this.weighed = undefined;
    const { before, after, traceDropped, folded, rewardsDropped, heldDropped } = result;
    const what = { before, after, traceDropped, folded, rewardsDropped, heldDropped };
    if (this.weighedCarryFits()) log.warn('the journey was too heavy to carry into a new run and gave up what it could', what);
    else log.warn('the journey is too heavy to carry into a new run even lightened: it stays in this run and is weighed again later', what);
  }

  private shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= CONTINUE_AT;
  }

  /** What the next journey takes first: entries that reached this one after it ended. */
  get arrivedAfterEnd(): PendingInput[] {
    return [...this.afterEnd];
  }

  /** Kept within AFTER_END_LIMITS, since they travel in the next run's input; past them the newest are dropped, said in the log. */
  private keepForNextJourney(pending: PendingInput): void {
    const bytes = jsonBytes(pending);
    if (this.afterEnd.length >= AFTER_END_LIMITS.inputs || this.afterEndBytes + bytes > AFTER_END_LIMITS.bytes) {
      log.warn('an entry that came after the journey ended is dropped: the next journey already has as many as it can take', {
        input: pending.kind === 'event' ? pending.event.id : pending.kind,
      });
      return;
    }
    this.afterEnd.push(pending);
    this.afterEndBytes += bytes;
  }

  private async handle(pending: PendingInput): Promise<void> {
    if (this.features.entriesAfterEnd && entersAfterEnd(this.plan, this.state, pending, () => patched(PATCHES.signalOnlyBeginsNothing))) {
      if (this.features.keptEntriesChecked && alreadyTakenOrCancelled(this.state, pending)) {
        log.info('an entry that came after the journey ended is not kept: this journey took it already, or it was cancelled', {
          input: pending.kind === 'event' ? pending.event.id : pending.kind === 'scheduledEntry' ? `tick ${pending.tickId}` : pending.kind,
        });
        return;
      }
      this.keepForNextJourney(pending);
      return;
    }
    if (pending.kind === 'event' || pending.kind === 'scheduledEntry') {
      const fresh = this.features.cancelReleasesHeld === true && isEntryAttemptOnIdle(this.plan, this.state, pending);
      pending = { ...pending, user: await this.profile(fresh) };
    }
    // The shell owns the state and keeps only the result: no copy needed.
    const result = step(this.plan, this.state, { ...pending, now: Date.now() } as Parameters<typeof step>[2], {
      inPlace: true,
      ...this.stepOptions,
      snapshotCauses: this.snapshotCauses,
      awaitedHeldKept: this.awaitedHeldKept,
      heldSharesKept: this.heldSharesKept,
    });
    this.state = result.state;
    // With local rewards, the step's log entries wait until all its effects are
    // started: a ledger reward among them takes the entries along (one local
    // activity instead of two), the rest are written as usual.
    const foldLog = this.features.localRewards;
    if (foldLog) this.log.hold();
    try {
      for (const effect of result.effects) this.carryOut(effect);
    } finally {
      if (foldLog) this.log.release();
    }
    this.dropWorkOfEndedPaths();
    if (pending.kind === 'cancelEvent') {
      this.effects.dropCausedBy(pending.eventId);
      if (this.features.keptEntriesChecked) this.forgetKeptEntry(pending.eventId);
    }
  }

  /** A cancelled event kept for the next journey must not begin it: its cancel has been told to this run only. */
  private forgetKeptEntry(eventId: string): void {
    const kept = withoutCancelledEntry(this.afterEnd, eventId);
    if (kept.length === this.afterEnd.length) return;
    this.afterEnd.splice(0, this.afterEnd.length, ...kept);
    this.afterEndBytes = kept.reduce((bytes, pending) => bytes + jsonBytes(pending), 0);
  }

  /** exit / exitOn end paths: what they still had waiting (quiet hours, an operator) is dropped. */
  private dropWorkOfEndedPaths(): void {
    this.effects.dropAllBut(new Set(this.state.paths.map((p) => p.pathId)));
  }

  /** user.* facts: the stored profile, read again once it is older than PROFILE_TTL_MS, or when `fresh` (an entry attempt). */
  private async profile(fresh = false): Promise<Record<string, unknown>> {
    const now = Date.now();
    const preloaded = this.preloadedProfile;
    this.preloadedProfile = undefined;
    // The profile read with the start is as fresh as can be: only a cached one is read again.
    if (preloaded !== undefined && fresh) return preloaded;
    if (!fresh && this.profileLoadedAt !== null && now - this.profileLoadedAt < PROFILE_TTL_MS) {
      return preloaded ?? (this.features.userOverrideOnce ? storedProfile(this.state) : this.state.user);
    }
    const user = await lookups.loadProfile.executeWithOptions({ ...lookupsProfile, summary: `profile of user ${this.id.userId}` }, [{ userId: this.id.userId }]);
    this.profileLoadedAt = now;
    return user;
  }

  private carryOut(effect: Effect): void {
    switch (effect.kind) {
      case 'startTimer':
        this.startTimer(effect.timerId, effect.fireAt, effect.summary);
        break;
      case 'cancelTimer':
        this.timers.get(effect.timerId)?.cancel();
        this.timers.delete(effect.timerId);
        break;
      case 'runAction':
      case 'reclaimRewards':
        this.effects.launch(effect);
        break;
      case 'recordTransition':
        this.effects.launch({ ...effect, seq: ++this.transitionSeq });
        countJourneyMove(this.id.campaignKey, effect);
        break;
      case 'updateSearchAttributes':
        this.showState(effect.JourneyState);
        break;
      case 'end':
        this.ended = true;
        countJourneyEnd(this.id.campaignKey);
        log.info('journey ended', { reason: effect.reason });
        break;
    }
  }

  private startTimer(timerId: string, fireAt: string, summary: string): void {
    const scope = new CancellationScope();
    this.timers.set(timerId, scope);
    const waitMs = Math.max(0, Date.parse(fireAt) - Date.now());
    scope
      .run(() => sleep(waitMs, { summary }))
      .then(
        () => {
          this.timers.delete(timerId);
          this.inbox.push({ version: 1, kind: 'timer', timerId });
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Validates an operator's retry/skip: it must name a held step (or there must be exactly one), held since the `since` it gives. */
  findHeld(req: HeldActionRequest): HeldAction {
    return this.held.validate(req);
  }

  decide(req: HeldActionRequest, decision: 'retry' | 'skip'): HeldActionDecision {
    return this.held.decide(req, decision);
  }

  private currentStates(): string[] {
    const states = this.state.paths.map((p) => p.state);
    if (states.length === 0 && this.state.finished.length > 0) states.push(this.state.finished[this.state.finished.length - 1].state);
    return [...new Set(states)].sort();
  }

  /**
   * JourneyState is one Keyword: the state (states joined by "," for parallel paths), or `held` while a step is
   * held; `(held)` instead where the version has a state named `held` (patch schedule-end-held-apart).
   */
  private showState(states: string[]): void {
    const marker = this.features.scheduleEndHeldApart ? heldMarkerFor(Object.keys(this.plan.states)) : HELD_STATE;
    const joined = states.join(',');
    // Past 255 characters Temporal's SQL visibility stops writing the journey's record (patch journey-state-fits,
    // asked only there: journeys that showed a longer one replay as they ran).
    const listed = [...joined].length > MAX_KEYWORD_CHARS && patched(PATCHES.journeyStateFits) ? journeyStateText(states) : joined;
    const value = this.held.size > 0 ? marker : listed;
    this.stateAttribute.show(value || NO_STATE_SHOWN);
  }

  private carry(): CarriedJourney {
    return {
      version: 1,
      state: this.state,
      inbox: [...this.inbox, ...this.effects.skipsUnderWay()],
      outstanding: this.effects.unsettled(),
      held: this.heldActions,
      transitionSeq: this.transitionSeq,
      run: this.run,
      profileLoadedAt: this.profileLoadedAt,
      shownState: this.stateAttribute.lastShown,
      ...(this.features.entriesAfterEnd ? { logKeyPrefix: this.id.logKeyPrefix } : {}),
      ...(this.afterEnd.length > 0 ? { arrivedAfterEnd: [...this.afterEnd] } : {}),
    };
  }

  /**
   * An idle journey hands over to a run on `version`, the one its next entry
   * was routed to, with that entry still first in its inbox. It waits until
   * nothing it started is outstanding (a path's last log entries, a reclaim):
   * the next run starts with none of this plan's work.
   */
  private async moveTo(version: number): Promise<CarriedJourney | null> {
    if (this.features.endedPathsHoldNothing) {
      // Steps held from before patch ended-paths-hold-nothing on paths that ended: nobody would decide them now.
      this.dropWorkOfEndedPaths();
      await condition(() => (this.effects.size === 0 && allHandlersFinished()) || this.readyToContinueAsNew());
      // Its effects still running (a ledger outage): the run hands over as it is, and the next one tries the move again.
      if (this.effects.size > 0) return null;
      await condition(allHandlersFinished);
      // Signals kept coming during the wait, and all of them travel: a move that no longer fits leaves the entry here.
      if (!this.carryFits()) return null;
    } else {
      await condition(() => this.effects.size === 0 && allHandlersFinished());
    }
    this.settle();
    this.movedTo = version;
    return { ...this.carry(), state: movedToVersion(this.state, version, Date.now(), describeEntry(this.inbox[0])) };
  }

  /** A new run restarts what the last one left running: timers, effects, held steps. */
  private resume(carried: CarriedJourney): void {
    for (const path of this.state.paths) {
      for (const timer of path.timers) {
        if (!timer.due) this.startTimer(timer.timerId, timer.fireAt, `${path.state}: timer ${timer.timerId} (resumed)`);
      }
    }
    for (const e of carried.outstanding) this.effects.launch(e);
    for (const h of carried.held) this.effects.resumeHeld(h);
  }
}
