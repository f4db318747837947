import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { ActionOutcome, ReclaimRewards, RunAction } from '../../domain/machine';
import { OutstandingEffects } from '../../domain/machine/outstanding';
import type { MessageQuietHours } from '../../activities/messages/message-activities';
import { isLedgerAction, runAction, type ActionContext } from './actions';
import { mustComplete, mustCompleteProfile } from './activity-profiles';
import type { HeldAction, OutstandingEffect, PendingInput } from './carried';
import { DeliveryBudget } from './delivery-budget';
import { failureText, HELD_BYTES, type HeldActions } from './held-actions';
import type { JourneyLogWriter, LogEntry } from './journey-log';
import type { ShellFeatures, ShellIdentity } from './shell-options';
import { StoppableActions, type ActionInFlight } from './stoppable-actions';

/** How journeys from before patch distinct-reclaim-effects told their effects apart. */
function effectId(e: OutstandingEffect): string {
  if (e.kind === 'runAction') return `action:${e.idempotencyKey}`;
  if (e.kind === 'reclaimRewards') return `reclaim:${e.eventId}`;
  return `record:${e.seq}`;
}

/**
 * Carries out the effects the shell launches: actions (through quiet hours,
 * and held for an operator when they fail for good), reclaims and journey-log
 * entries. Each runs in the background and reports back through the inbox;
 * the set of those still running travels with continue-as-new.
 */
export class EffectRunner {
  private readonly outstanding: OutstandingEffects<OutstandingEffect>;
  /** Messages waiting out quiet hours, by path: cancelled if their path ends first. */
  private readonly waiting = new Map<string, { pathId: string; scope: CancellationScope }>();
  /** Messages and webhooks an exit or a cancel can still stop (patch cancel-stops-effects; journeys from before use `waiting`). */
  private readonly stoppable = new StoppableActions();
  /**
   * Skipped ledger steps whose void reclaim is under way, by key, with the
   * outcome they will report: a continue-as-new meanwhile carries them as
   * that reclaim and that outcome (patch ended-paths-hold-nothing). Carried
   * as actions, the next run issued what was skipped.
   */
  private readonly voiding = new Map<string, { effect: RunAction; result: SkippedResult }>();
  /** What the deliveries scheduled in the current workflow task weigh: past the budget they wait for a later one (patch delivery-inputs-per-task). */
  private readonly deliveries: DeliveryBudget;

  constructor(
    private readonly id: ShellIdentity,
    private readonly inbox: PendingInput[],
    private readonly held: HeldActions,
    private readonly log: JourneyLogWriter,
    private readonly features: ShellFeatures,
    /** Whether a path still runs: an action that fails for good on one that ended is skipped, not held (patch ended-paths-hold-nothing). */
    private readonly pathRuns: (pathId: string) => boolean,
    /** The campaign's quiet hours, for messages' every attempt (patch quiet-hours-every-attempt). */
    private readonly quietHours?: MessageQuietHours,
  ) {
    this.outstanding = new OutstandingEffects(features.distinctEffects ? undefined : effectId);
    this.deliveries = new DeliveryBudget(features.deliveryInputsPerTask === true);
  }

  /** Effects started and not yet settled (held steps included). */
  get size(): number {
    return this.outstanding.size;
  }

  /**
   * What a new run must start again: every unsettled effect but the held
   * steps (they travel as held) and the actions whose outcome is already in
   * the inbox (it travels with it). A continue-as-new decided in the
   * activation that brings an action's result can come a few microtasks
   * before the action is settled: carried, it was run a second time (a
   * webhook sent twice).
   */
  unsettled(): OutstandingEffect[] {
    const carried = this.outstanding.values().filter((e) => !(e.kind === 'runAction' && (this.held.isHeld(e) || this.reported(e) || this.voiding.has(e.idempotencyKey))));
    for (const { effect } of this.voiding.values()) carried.push(voidOf(effect));
    return carried;
  }

  /** The skipped outcomes of the steps still being voided: reported by the next run, after what its inbox holds. */
  skipsUnderWay(): PendingInput[] {
    return [...this.voiding.values()].map(({ effect, result }) => skippedOutcome(effect, result));
  }

  private reported(e: RunAction): boolean {
    return this.inbox.some((p) => p.kind === 'actionOutcome' && p.pathId === e.pathId && p.stepId === e.stepId);
  }

  /** Stopped actions not yet settled: a continue-as-new waits for them (they must not start again in the next run). */
  get stopping(): number {
    return this.stoppable.stopping;
  }

  /**
   * exit / exitOn ended these paths' work: messages waiting out quiet hours
   * and held steps are dropped; with patch cancel-stops-effects, messages and
   * webhooks still being sent (retrying) are stopped too.
   */
  dropAllBut(activePaths: Set<string>): void {
    for (const { pathId, scope } of this.waiting.values()) if (!activePaths.has(pathId)) scope.cancel();
    const ended = (e: RunAction) => !activePaths.has(e.pathId);
    if (!this.features.cancelStopsEffects) {
      this.held.dropWhere(ended);
      return;
    }
    this.stoppable.stopWhere(ended, 'its path ended');
    this.held.dropWhere(ended, 'its path ended');
  }

  /** A cancelled event: what it caused and is not yet sent (waiting, retrying, held) is not sent (patch cancel-stops-effects). */
  dropCausedBy(eventId: string): void {
    if (!this.features.cancelStopsEffects) return;
    const caused = (e: RunAction) => e.causedBy.includes(eventId);
    const reason = `its causing event ${eventId} was cancelled`;
    this.stoppable.stopWhere(caused, reason);
    // A held reward was refused by the ledger, so nothing was issued: released too (patch cancel-releases-held-rewards).
    // Journeys from before left it held: an operator's retry issued it, and it was reclaimed once issued.
    this.held.dropWhere((e) => caused(e) && (this.features.cancelReleasesHeld === true || !isLedgerAction(e)), reason);
  }

  /** A step held in the last run: held again, until an operator retries (run again) or skips it. */
  resumeHeld(h: HeldAction): void {
    const handle = this.outstanding.add(h.effect);
    void this.held.hold(h.effect, new Error(h.error), h.since)
      .then(async (decision) => {
        if (decision === 'skip') return this.skip(h.effect, this.skippedResult(h.effect));
        return this.performAction(h.effect);
      })
      .then(() => this.outstanding.settle(handle));
  }

  /** Starts an effect in the background; its outcome comes back through the inbox. */
  launch(e: OutstandingEffect): void {
    const handle = this.outstanding.add(e);
    // The log keeps the journey's order: entries are written one batch after another.
    const done = e.kind === 'recordTransition' ? this.log.write(e) : this.perform(e);
    void done.then(() => this.outstanding.settle(handle));
  }

  private async perform(e: Exclude<OutstandingEffect, LogEntry>): Promise<void> {
    if (e.kind === 'reclaimRewards') {
      await mustComplete.reclaimRewards.executeWithOptions({ ...mustCompleteProfile, summary: `reclaim what event ${e.eventId} caused (${e.idempotencyKeys.length} rewards)` }, [
        { idempotencyKeys: e.idempotencyKeys, eventId: e.eventId, reason: e.reason ?? `event ${e.eventId} cancelled` },
      ]);
      return;
    }
    await this.performAction(e);
  }

  /**
   * A ledger step skipped while held (by an operator, an exit, a cancel)
   * reads "nothing issued", yet an attempt that failed for want of an answer
   * (a timeout, a connection lost at commit) may have committed after all.
   * Reclaiming its key reverses such a reward and leaves a tombstone that
   * refuses any commit still on its way, so a skipped step gives nothing
   * (patch skip-voids-held-reward). A key never issued costs one ledger call.
   */
  private async voidSkippedReward(e: RunAction): Promise<void> {
    if (!this.features.skipVoidsHeldReward || !isLedgerAction(e)) return;
    const { idempotencyKeys, eventId, reason } = voidOf(e);
    await mustComplete.reclaimRewards.executeWithOptions({ ...mustCompleteProfile, summary: `void what skipped ${e.stepId} may have issued` }, [
      { idempotencyKeys, eventId, reason },
    ]);
  }

  /** An action's outcome, back to the machine through the inbox. */
  private report(e: RunAction, outcome: ActionOutcome, result: unknown): void {
    this.inbox.push({ version: 1, kind: 'actionOutcome', pathId: e.pathId, stepId: e.stepId, outcome, result });
  }

  /** Why a step held until now is skipped: by an operator, or dropped by an exit or a cancel (the reason says which). */
  private skippedResult(e: RunAction): SkippedResult {
    const dropped = this.held.takeDropReason(e);
    return dropped ? { stopped: dropped } : { skippedBy: 'operator' };
  }

  /** A skipped step: its reward voided (a ledger step), then its outcome reported. */
  private async skip(e: RunAction, result: SkippedResult): Promise<void> {
    const carriedIfCut = this.features.endedPathsHoldNothing === true && this.features.skipVoidsHeldReward === true && isLedgerAction(e);
    if (carriedIfCut) this.voiding.set(e.idempotencyKey, { effect: e, result });
    await this.voidSkippedReward(e);
    if (carriedIfCut) this.voiding.delete(e.idempotencyKey);
    this.report(e, 'skipped', result);
  }

  private actionContext(): ActionContext {
    return {
      campaignKey: this.id.campaignKey,
      campaignVersion: this.id.campaignVersion,
      userId: this.id.userId,
      localRewards: this.features.localRewards,
      ...(this.features.quietHoursEveryAttempt && this.quietHours ? { quietHours: this.quietHours } : {}),
    };
  }

  /** Runs an action; a failure for good holds it until an operator retries or skips it. */
  private async performAction(e: RunAction): Promise<void> {
    if (this.features.cancelStopsEffects && !isLedgerAction(e)) return this.performStoppable(e);
    if (e.notBefore && !(await this.waitForQuietHours(e, e.notBefore))) {
      this.report(e, 'skipped', { dropped: 'its path ended during quiet hours' });
      return;
    }
    const ctx = this.actionContext();
    // Only while the step that started it is being carried out (see handle): the log writer is held and idle then.
    let handOff = this.features.localRewards && isLedgerAction(e) ? this.log.handOff() : undefined;
    for (;;) {
      try {
        const wait = isLedgerAction(e) ? null : this.deliveries.roomFor(e);
        if (wait) await wait;
        const { outcome, result } = await runAction(ctx, e, handOff?.records);
        handOff?.settle(true);
        this.report(e, outcome, result);
        return;
      } catch (err) {
        // Whether the entries were written is unknown: the log writer writes them again (idempotent by key).
        handOff?.settle(false);
        handOff = undefined;
        // An exit ended its path while it ran: nobody waits for it, and an operator's retry would issue it after the exit.
        if (this.features.endedPathsHoldNothing && !this.pathRuns(e.pathId)) return this.skip(e, { stopped: 'its path ended' });
        const decision = await this.held.hold(e, err);
        if (decision === 'skip') return this.skip(e, this.skippedResult(e));
      }
    }
  }

  /**
   * A message or webhook that an exit or a cancel of its cause can stop
   * (patch cancel-stops-effects): the quiet-hours wait and every attempt run
   * in one cancellation scope. Stopped, it is not tried again; an attempt
   * already under way when it stops may still reach its receiver.
   */
  private async performStoppable(e: RunAction): Promise<void> {
    const flight = this.stoppable.begin(e);
    const ctx = this.actionContext();
    const stopped = (f: ActionInFlight) => this.report(e, 'skipped', { stopped: f.stoppedBecause });
    try {
      const waitMs = e.notBefore ? Date.parse(e.notBefore) - Date.now() : 0;
      if (waitMs > 0) {
        try {
          await flight.scope.run(() => sleep(waitMs, { summary: `quiet hours: ${e.summary} waits until ${e.notBefore}` }));
        } catch (err) {
          if (flight.stoppedBecause !== undefined && isCancellation(err)) return stopped(flight);
          throw err;
        }
      }
      for (;;) {
        if (flight.stoppedBecause !== undefined) return stopped(flight);
        try {
          // Waits in the flight's scope when the task's deliveries weigh enough already: a stop ends the wait too.
          const wait = this.deliveries.roomFor(e, flight.scope);
          if (wait) await wait;
          const { outcome, result } = await flight.scope.run(() => runAction(ctx, e));
          this.report(e, outcome, result);
          return;
        } catch (err) {
          // Cancelled between attempts, or an attempt that failed after the stop: not sent, and not to be held.
          if (flight.stoppedBecause !== undefined) return stopped(flight);
          // Held steps travel with every continue-as-new, with their data: past their budget it fails here, saying why.
          if (this.features.carriedWorkBounded && !this.held.hasRoomFor(e)) return this.report(e, 'failed', notHeld(err));
          // Held outside the scope: an operator's decision, or a later exit or cancel (dropWhere), ends the wait.
          if ((await this.held.hold(e, err)) === 'skip') return this.report(e, 'skipped', this.skippedResult(e));
        }
      }
    } finally {
      this.stoppable.end(flight);
    }
  }

  /** Waits until `notBefore`; false when the path ended meanwhile and the message must not go out. */
  private async waitForQuietHours(e: RunAction, notBefore: string): Promise<boolean> {
    const waitMs = Date.parse(notBefore) - Date.now();
    if (waitMs <= 0) return true;
    const scope = new CancellationScope();
    this.waiting.set(e.idempotencyKey, { pathId: e.pathId, scope });
    try {
      await scope.run(() => sleep(waitMs, { summary: `quiet hours: ${e.summary} waits until ${notBefore}` }));
      return true;
    } catch (err) {
      if (isCancellation(err)) return false;
      throw err;
    } finally {
      this.waiting.delete(e.idempotencyKey);
    }
  }
}

/** What a skipped step reports: who skipped it, or why it was dropped. */
type SkippedResult = { stopped: string } | { skippedBy: 'operator' };

/** The reclaim that voids a skipped ledger step's key (patch skip-voids-held-reward). */
function voidOf(e: RunAction): ReclaimRewards {
  return { kind: 'reclaimRewards', idempotencyKeys: [e.idempotencyKey], eventId: `skipped:${e.idempotencyKey}`, reason: `step ${e.stepId} skipped while held` };
}

/** A message or webhook that failed for good and could not be held (patch carried-work-bounded): the trace shows why first. */
function notHeld(err: unknown): { notHeld: string; error: string } {
  return { notHeld: `the held steps would weigh over ${HELD_BYTES / 1024} KiB`, error: failureText(err) };
}

function skippedOutcome(e: RunAction, result: SkippedResult): PendingInput {
  return { version: 1, kind: 'actionOutcome', pathId: e.pathId, stepId: e.stepId, outcome: 'skipped', result };
}
