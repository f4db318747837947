/**
 * An action's outcome, fed back by the workflow: record it, start what the
 * group's strategy runs next, and once the group is done let the state's
 * transitions go.
 */
import { advanceActions } from './actions';
import type { ActionOutcomeInput } from './inputs';
import { emit, findPath, note, type Run } from './run';
import { short } from './trace';
import { LIMITS, settledTrimmed } from './state';
import { settle } from './transitions';

export function applyOutcome(run: Run, input: Pick<ActionOutcomeInput, 'pathId' | 'stepId' | 'outcome' | 'result'>): void {
  const { pathId, stepId, outcome } = input;
  const reward = [...run.state.rewards].reverse().find((r) => r.pathId === pathId && r.stepId === stepId && r.outcome === undefined);
  if (reward) {
    reward.outcome = outcome;
    if (input.result !== undefined) reward.result = input.result;
    if (run.alreadyHoldingIsNoReward && keptHeldCoupon(input.result)) {
      // The user keeps the coupon they hold: the step succeeded, but issued nothing of its own to take back.
      reward.status = 'notIssued';
    } else if (reward.status === 'reclaimed') {
      // Its cause was cancelled while the reward was being issued: take it back now that it exists.
      const cause = reward.causedBy.find((id) => run.state.cancelledEventIds.includes(id)) ?? '';
      if (outcome === 'succeeded') {
        const reason = reward.reclaimReason;
        emit(run, { kind: 'reclaimRewards', eventId: cause, idempotencyKeys: [reward.idempotencyKey], ...(reason !== undefined ? { reason } : {}) });
      }
      // Never issued (a held step the cancel released): nothing was taken back either.
      else if (run.cancelReleasesHeld) reward.status = 'notIssued';
    } else {
      reward.status = outcome === 'succeeded' ? 'issued' : 'notIssued';
    }
    // More records than the bound stay while under way (unsettled-rewards-kept): each that settles lets the oldest settled go.
    if (run.unsettledRewardsKept && run.state.rewards.length > LIMITS.rewards) run.state.rewards = settledTrimmed(run.state.rewards, LIMITS.rewards);
  }
  const path = findPath(run, pathId);
  if (!path || path.steps[stepId] !== 'running') {
    // The result still says what happened to it (a webhook an exit stopped: `{"stopped":"its path ended"}`).
    const said = input.result !== undefined ? ` ${short(input.result)}` : '';
    note(run, { kind: 'ignored', pathId, message: `outcome ${outcome} for ${stepId}${said}: the step is not running (already reported, or the path moved on)` });
    return;
  }
  path.steps[stepId] = outcome;
  note(run, { kind: 'outcome', pathId, message: `${stepId} ${outcome}${input.result !== undefined ? ` ${short(input.result)}` : ''}` });
  if (advanceActions(run, path) === 'done') settle(run, path);
}

/** A coupon step's result when the user kept the coupon they hold (rewardStepOutcome: `{ alreadyHolding: id }`). */
function keptHeldCoupon(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'alreadyHolding' in result;
}
