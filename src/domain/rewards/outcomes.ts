import type { ActionOutcome } from '../machine/inputs';
import type { LedgerIssueAnswer, RewardIssue, RewardRefusal } from './contract';

const REFUSALS = { unknownPool: 'UnknownPool', wrongPoolKind: 'WrongPoolKind', wrongCurrency: 'WrongCurrency' } as const;

/** The ledger's answer as the activity returns it (ids and code only), or the refusal the activity fails with. */
export function rewardIssueOf(answer: LedgerIssueAnswer): RewardIssue | RewardRefusal {
  switch (answer.outcome) {
    case 'issued':
    case 'alreadyHolding':
      if (!answer.reward) throw new Error(`the ledger answered ${answer.outcome} without a reward`);
      return { outcome: answer.outcome, rewardId: answer.reward.id, code: answer.reward.code };
    case 'exhausted':
      return { outcome: 'exhausted', reason: answer.detail ?? 'exhausted' };
    default:
      return { refused: REFUSALS[answer.outcome], message: answer.detail ?? answer.outcome };
  }
}

export const isRefusal = (r: RewardIssue | RewardRefusal): r is RewardRefusal => 'refused' in r;

/**
 * What histories written before the activity returned ids hold: the whole
 * ledger row. Journeys replaying them read the same two fields from it.
 */
export type LegacyRewardIssue =
  | { outcome: 'issued' | 'alreadyHolding'; reward: { id: string; code: string | null } }
  | { outcome: 'exhausted'; reason: string };

/** The machine's outcome of a reward step (fed back as its actionOutcome), from what the activity returned now or in an older history. */
export function rewardStepOutcome(issue: RewardIssue | LegacyRewardIssue): { outcome: ActionOutcome; result: unknown } {
  if (issue.outcome === 'exhausted') return { outcome: 'exhausted', result: { reason: issue.reason } };
  const { id, code } = 'reward' in issue ? issue.reward : { id: issue.rewardId, code: issue.code };
  // unlessHolding: the user keeps the coupon they hold; this step counts as done.
  if (issue.outcome === 'alreadyHolding') return { outcome: 'succeeded', result: { alreadyHolding: id } };
  return { outcome: 'succeeded', result: { rewardId: id, code: code ?? undefined } };
}
