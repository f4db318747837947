import type { Reward } from '../../store/ledger/reward';

/** The reward actions of a `runAction` effect (src/domain/machine/effects.ts); pools may be null or absent. */
export type RewardAction =
  | { type: 'coupon'; pool: string; unlessHolding?: boolean }
  | { type: 'points'; amount: number; pool?: string | null }
  | { type: 'credit'; amount: number; currency: string; pool?: string | null };

export interface IssueRewardInput {
  /** Business identity from the machine (campaign, user, entry, visit, step): the same key issues once. */
  idempotencyKey: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  stepId: string;
  /** Event ids that led here; cancelling any of them reclaims the reward. */
  causedBy: string[];
  action: RewardAction;
}

/**
 * `exhausted` is a normal outcome (the step did not succeed), with reason
 * budget | perUserLimit | noCodes, or reclaimed when the key was reclaimed
 * before it could be issued (its cause was cancelled first).
 */
export type IssueRewardResult =
  | { outcome: 'issued'; reward: Reward }
  | { outcome: 'exhausted'; reason: string }
  | { outcome: 'alreadyHolding'; reward: Reward };

export interface ReclaimRewardsInput {
  idempotencyKeys: string[];
  /** The cancelled event. */
  eventId: string;
  reason?: string | null;
}

export interface ReclaimRewardsResult {
  eventId: string;
  /**
   * Per key, in input order: reversed (points, credit), voided (an unused
   * coupon), unreclaimable (a redeemed coupon), notIssued (nothing had been
   * issued; the key can no longer be). A repeated reclaim reports what the
   * first one did.
   */
  results: Array<{ idempotencyKey: string; outcome: 'reversed' | 'voided' | 'unreclaimable' | 'notIssued'; rewardId: string | null }>;
}
