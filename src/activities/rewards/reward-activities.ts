import { ApplicationFailure } from '@temporalio/common';
import { countInActivity } from '../activity-metrics';
import { countRetryInWorkerMetrics } from './worker-retry-metric';
import { activityLog } from '../activity-log';
import type { DataSource } from 'typeorm';
import { RewardsRepository, type IssueRequest } from '../../store/repositories/rewards.repository';
import type { IssueRewardInput, IssueRewardResult, ReclaimRewardsInput, ReclaimRewardsResult } from './types';

export type { IssueRewardInput, IssueRewardResult, ReclaimRewardsInput, ReclaimRewardsResult, RewardAction } from './types';

export interface RewardActivityDeps {
  dataSource: DataSource;
}

/** Retrying cannot help these: the journey is held until an operator acts. */
const nonRetryable = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

function toRequest(input: IssueRewardInput): IssueRequest {
  const a = input.action;
  const base = {
    idempotencyKey: input.idempotencyKey,
    campaignKey: input.campaignKey,
    campaignVersion: input.campaignVersion,
    userId: input.userId,
    stepId: input.stepId,
    causedBy: input.causedBy ?? [],
  };
  switch (a.type) {
    case 'coupon':
      return { ...base, kind: 'coupon', amount: null, currency: null, pool: a.pool, unlessHolding: a.unlessHolding === true };
    case 'points':
    case 'credit':
      // An expression may compute NaN or a negative amount; issuing it would corrupt balances.
      if (!Number.isFinite(a.amount) || a.amount < 0) throw nonRetryable('InvalidAmount', `amount must be a finite number ≥ 0, got ${a.amount}`);
      if (a.type === 'credit' && !/^[A-Z]{3}$/.test(a.currency)) throw nonRetryable('InvalidCurrency', `not a currency code: ${a.currency}`);
      return { ...base, kind: a.type, amount: a.amount, currency: a.type === 'credit' ? a.currency : null, pool: a.pool ?? null, unlessHolding: false };
    default:
      throw nonRetryable('UnknownRewardType', `not a reward action: ${(a as { type?: unknown }).type}`);
  }
}

export function createRewardActivities(deps: RewardActivityDeps) {
  const rewards = new RewardsRepository(deps.dataSource, countRetryInWorkerMetrics);
  return {
    /**
     * Issues one coupon, points or credit, exactly once per idempotency key:
     * budget, per-user limit, code and ledger entries in one transaction. A
     * retry (also after a crash between commit and completion) returns the
     * first reward and spends nothing.
     */
    async issueReward(input: IssueRewardInput): Promise<IssueRewardResult> {
      const request = toRequest(input);
      const r = await rewards.issue(request);
      countInActivity('kairos_reward_issues_total', 'Reward issue calls by kind, campaign and outcome (issued, alreadyHolding, exhausted, refusals); a retried call counts again.', {
        kind: request.kind,
        campaign: input.campaignKey,
        outcome: r.outcome,
      });
      // The event ids that caused it lead back to their requests (`event received` carries both).
      activityLog()?.info(`reward ${r.outcome}`, { idempotencyKey: input.idempotencyKey, causedBy: input.causedBy ?? [], outcome: r.outcome, rewardId: r.reward?.id });
      switch (r.outcome) {
        case 'issued':
        case 'alreadyHolding':
          return { outcome: r.outcome, reward: r.reward! };
        case 'exhausted':
          return { outcome: 'exhausted', reason: r.detail ?? 'exhausted' };
        case 'unknownPool':
          throw nonRetryable('UnknownPool', r.detail ?? 'unknown pool');
        case 'wrongPoolKind':
          throw nonRetryable('WrongPoolKind', r.detail ?? 'wrong pool kind');
        case 'wrongCurrency':
          throw nonRetryable('WrongCurrency', r.detail ?? 'wrong currency');
      }
    },

    /** Takes back the rewards of these keys because `eventId` was cancelled; reclaiming twice is reclaiming once. */
    async reclaimRewards(input: ReclaimRewardsInput): Promise<ReclaimRewardsResult> {
      const results: ReclaimRewardsResult['results'] = [];
      for (const key of input.idempotencyKeys) {
        const r = await rewards.reclaim(key, input.eventId, input.reason ?? null);
        if (r.reward) {
          countInActivity('kairos_reward_reclaims_total', 'Rewards taken back by kind, campaign and outcome (reversed, voided, unreclaimable); reclaiming twice counts twice.', {
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
