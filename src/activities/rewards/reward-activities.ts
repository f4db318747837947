import { ApplicationFailure } from '@temporalio/common';
import { countInActivity } from '../activity-metrics';
import { RECLAIMS_METRIC } from '../../observability/reclaims-metric';
import { countRetryInWorkerMetrics } from './worker-retry-metric';
import { activityLog } from '../activity-log';
import type { DataSource } from 'typeorm';
import { isRefusal, rewardActionProblem, rewardIssueOf, type RewardCommand, type RewardIssue, type RewardRefusal } from '../../domain/rewards';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { ReclaimRewardsInput, ReclaimRewardsResult } from './types';

export type { ReclaimRewardsInput, ReclaimRewardsResult } from './types';

export interface RewardActivityDeps {
  dataSource: DataSource;
}

/** Retrying cannot help these: the journey is held until an operator acts. */
const nonRetryable = (r: RewardRefusal) => ApplicationFailure.create({ type: r.refused, message: r.message, nonRetryable: true });

export function createRewardActivities(deps: RewardActivityDeps) {
  const rewards = new RewardsRepository(deps.dataSource, countRetryInWorkerMetrics);
  return {
    /**
     * Issues one coupon, points or credit, exactly once per idempotency key:
     * budget, per-user limit, code and ledger entries in one transaction. A
     * retry (also after a crash between commit and completion, or an earlier
     * attempt still running) returns the first answer, a reward, exhausted or
     * alreadyHolding, and spends nothing.
     */
    async issueReward(input: RewardCommand): Promise<RewardIssue> {
      // The machine checked the amount when it computed it; this guards a command from anywhere else.
      const problem = rewardActionProblem(input.action);
      if (problem) throw nonRetryable(problem);
      const command = { ...input, causedBy: input.causedBy ?? [] };
      const r = await rewards.issue(command);
      countInActivity('kairos_reward_issues_total', 'Reward issue calls by kind, campaign and outcome (issued, alreadyHolding, exhausted, refusals); a retried call counts again.', {
        kind: input.action.type,
        campaign: input.campaignKey,
        outcome: r.outcome,
      });
      // The event ids that caused it lead back to their requests (`event received` carries both).
      activityLog()?.info(`reward ${r.outcome}`, { idempotencyKey: input.idempotencyKey, causedBy: command.causedBy, outcome: r.outcome, rewardId: r.reward?.id });
      const issue = rewardIssueOf(r);
      if (isRefusal(issue)) throw nonRetryable(issue);
      return issue;
    },

    /** Takes back the rewards of these keys because `eventId` was cancelled; reclaiming twice is reclaiming once. */
    async reclaimRewards(input: ReclaimRewardsInput): Promise<ReclaimRewardsResult> {
      const results: ReclaimRewardsResult['results'] = [];
      for (const key of input.idempotencyKeys) {
        const r = await rewards.reclaim(key, input.eventId, input.reason ?? null);
        if (r.reward && r.first) {
          countInActivity(RECLAIMS_METRIC.name, RECLAIMS_METRIC.help, {
            kind: r.reward.kind,
            campaign: r.reward.campaignKey,
            outcome: r.outcome,
          });
        }
        results.push({ idempotencyKey: key, outcome: r.outcome, rewardId: r.reward?.id ?? null });
      }
      activityLog()?.info('rewards reclaimed', { eventId: input.eventId, results });
      return { eventId: input.eventId, results };
    },
  };
}

export type RewardActivities = ReturnType<typeof createRewardActivities>;
