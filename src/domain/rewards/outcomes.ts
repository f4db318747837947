import type { ActionOutcome } from '../machine/inputs';
import type { LedgerIssueAnswer, RewardIssue, RewardRefusal } from './contract';

const REFUSALS = { unknownPool: 'UnknownPool', wrongPoolKind: 'WrongPoolKind', wrongCurrency: 'WrongCurrency' } as const;

/** The ledger's answer as the activity returns it (ids and code only), or the refusal the activity fails with. */
export function rewardIssueOf(answer: LedgerIssueAnswer): RewardIssue | RewardRefusal {
  switch (answer.outcome) {
    case 'issued':
    case 'alreadyHolding':
      if (!answer.reward) throw new Error(`the ledger answered ${answer.outcome} without a reward`);
      // Only the id and code, in the shape earlier releases read (`reward.id`, `reward.code`), so a worker of
      // the previous release replaying this result during a rolling deploy reads it as it always did.
      return { outcome: answer.outcome, reward: { id: answer.reward.id, code: answer.reward.code } };
    case 'exhausted':
      return { outcome: 'exhausted', reason: answer.detail ?? 'exhausted' };
    default:
      return { refused: REFUSALS[answer.outcome], message: answer.detail ?? answer.outcome };
  }
}

export const isRefusal = (r: RewardIssue | RewardRefusal): r is RewardRefusal => 'refused' in r;

/**
 * The machine's outcome of a reward step (fed back as its actionOutcome), from
 * what the activity returned now or in an older history (which held the whole
 * ledger row under `reward`: the same two fields are read from it).
 */
export function rewardStepOutcome(issue: RewardIssue): { outcome: ActionOutcome; result: unknown } {
  if (issue.outcome === 'exhausted') return { outcome: 'exhausted', result: { reason: issue.reason } };
  const { id, code } = issue.reward;
  // unlessHolding: the user keeps the coupon they hold; this step counts as done.
  if (issue.outcome === 'alreadyHolding') return { outcome: 'succeeded', result: { alreadyHolding: id } };
  return { outcome: 'succeeded', result: { rewardId: id, code: code ?? undefined } };
}
