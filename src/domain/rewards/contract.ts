/**
 * The one reward contract between the machine, the reward activity and the
 * ledger: what to issue (the command), what the ledger answers, and what the
 * activity hands back to the journey.
 */

/** A reward step with its amount computed (src/domain/machine/actions.ts); pools may be null. */
export type RewardAction =
  | { type: 'coupon'; pool: string; unlessHolding: boolean }
  | { type: 'points'; amount: number; pool: string | null }
  | { type: 'credit'; amount: number; currency: string; pool: string | null };

export type RewardKind = RewardAction['type'];

/** One reward to issue: the reward activity's input, handed to the ledger as it is. */
export interface RewardCommand {
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
 * What the ledger answers an issue with. `exhausted` is a normal outcome (the
 * step did not succeed); the others after `exhausted` are refusals retrying
 * cannot change (the pool is missing or of another kind or currency).
 */
export type LedgerIssueOutcome = 'issued' | 'alreadyHolding' | 'exhausted' | 'unknownPool' | 'wrongPoolKind' | 'wrongCurrency';

/** The ledger's answer, as much of it as anything outside the ledger reads. */
export interface LedgerIssueAnswer {
  outcome: LedgerIssueOutcome;
  /** Why: for exhausted reclaimed | perUserLimit | budget | noCodes; for the refusals a sentence. */
  detail: string | null;
  reward: { id: string; code: string | null } | null;
}

/**
 * Per reclaimed key: reversed (points, credit), voided (an unused coupon),
 * unreclaimable (a redeemed coupon), notIssued (nothing had been issued; the
 * key can no longer be). A repeated reclaim reports what the first one did.
 */
export type ReclaimOutcome = 'reversed' | 'voided' | 'unreclaimable' | 'notIssued';

/**
 * What the reward activity returns: only what the journey reads, so its
 * history stays small. `alreadyHolding`: the user keeps the coupon they hold
 * (unlessHolding). `exhausted` with reason budget | perUserLimit | noCodes,
 * or reclaimed when the key was reclaimed before it could be issued.
 */
export type RewardIssue =
  | { outcome: 'issued' | 'alreadyHolding'; reward: { id: string; code: string | null } }
  | { outcome: 'exhausted'; reason: string };

/** A refusal retrying cannot help: the activity fails for good and the journey holds the step for an operator. */
export interface RewardRefusal {
  refused: 'UnknownPool' | 'WrongPoolKind' | 'WrongCurrency' | 'InvalidAmount' | 'InvalidCurrency' | 'UnknownRewardType';
  message: string;
}
