import type { ActionOutcome, RunAction } from '../../domain/machine';
import { rewardStepOutcome, type RewardIssue } from '../../domain/rewards';
import { deliveries, deliveryProfile, localRewardProfile, localRewards, rewardProfile, rewards } from './activity-profiles';
import type { TransitionRecord } from './journey-log';
import type { MessageQuietHours } from '../../activities/messages/message-activities';

export interface ActionResult {
  outcome: ActionOutcome;
  result?: unknown;
}

export interface ActionContext {
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  /** Ledger rewards as local activities (patch `local-rewards`); journeys from before schedule `issueReward` as an activity. */
  localRewards: boolean;
  /** Passed with every message, whose every attempt then keeps them (patch quiet-hours-every-attempt). */
  quietHours?: MessageQuietHours;
}

/**
 * Runs one action through its activity and translates the answer into the
 * machine's outcome. Throws when the activity failed for good (retries
 * exhausted or a non-retryable failure): the shell then holds the step.
 */
/** Coupon, points and credit: issued by the ledger, exactly once per idempotency key. */
export function isLedgerAction(e: RunAction): boolean {
  return e.action.type === 'coupon' || e.action.type === 'points' || e.action.type === 'credit';
}

/**
 * `journeyLog`: entries of the same step, written by the reward's local
 * activity before it issues the reward (ledger actions with localRewards only).
 */
export async function runAction(ctx: ActionContext, e: RunAction, journeyLog?: TransitionRecord[]): Promise<ActionResult> {
  const { localRewards: local, quietHours, ...journey } = ctx;
  const base = { idempotencyKey: e.idempotencyKey, ...journey, stepId: e.stepId, causedBy: e.causedBy };
  const { action } = e;
  switch (action.type) {
    case 'coupon':
    case 'points':
    case 'credit': {
      // Histories from before the activity returned only ids hold the whole reward under `reward`: the same two fields are read.
      const reward = { ...base, action };
      let issued: RewardIssue;
      if (!local) issued = await rewards.issueReward.executeWithOptions(rewardOptions(e.summary), [reward]);
      else if (journeyLog?.length) {
        const summary = `${e.summary}, after ${journeyLog.length} journey-log ${journeyLog.length === 1 ? 'entry' : 'entries'}`;
        issued = await localRewards.issueRewardWithLog.executeWithOptions({ ...localRewardProfile, summary }, [{ journeyLog, reward }]);
      } else issued = await localRewards.issueReward.executeWithOptions({ ...localRewardProfile, summary: e.summary }, [reward]);
      return rewardStepOutcome(issued);
    }
    case 'message':
      await deliveries.sendMessage.executeWithOptions(deliveryOptions(e.summary), [
        { ...base, channel: action.channel, template: action.template, data: action.data, ...(quietHours ? { quietHours } : {}) },
      ]);
      return { outcome: 'succeeded' };
    case 'webhook':
      await deliveries.callWebhook.executeWithOptions(deliveryOptions(e.summary), [{ ...base, url: action.url, body: action.body }]);
      return { outcome: 'succeeded' };
  }
}


const rewardOptions = (summary: string) => ({ ...rewardProfile, summary });
const deliveryOptions = (summary: string) => ({ ...deliveryProfile, summary });
