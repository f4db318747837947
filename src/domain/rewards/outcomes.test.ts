import { amountProblem, rewardActionProblem } from './amounts';
import type { RewardAction } from './contract';
import { rewardIssueOf, rewardStepOutcome } from './outcomes';

describe('a ledger answer as the reward activity returns it', () => {
  const reward = { id: 'r-1', code: 'SAVE-1' };

  it('keeps the reward id and code of an issue, and nothing else, where earlier releases read them (reward.id, reward.code)', () => {
    expect(rewardIssueOf({ outcome: 'issued', detail: null, reward: { ...reward, amount: 5, userId: 'u' } as typeof reward })).toStrictEqual({ outcome: 'issued', reward: { id: 'r-1', code: 'SAVE-1' } });
    expect(rewardIssueOf({ outcome: 'alreadyHolding', detail: null, reward })).toStrictEqual({ outcome: 'alreadyHolding', reward: { id: 'r-1', code: 'SAVE-1' } });
  });

  it('gives exhausted its reason, and turns the pool problems into refusals', () => {
    expect(rewardIssueOf({ outcome: 'exhausted', detail: 'perUserLimit', reward: null })).toEqual({ outcome: 'exhausted', reason: 'perUserLimit' });
    expect(rewardIssueOf({ outcome: 'unknownPool', detail: 'no pool "x"', reward: null })).toEqual({ refused: 'UnknownPool', message: 'no pool "x"' });
    expect(rewardIssueOf({ outcome: 'wrongPoolKind', detail: null, reward: null })).toEqual({ refused: 'WrongPoolKind', message: 'wrongPoolKind' });
    expect(rewardIssueOf({ outcome: 'wrongCurrency', detail: 'EUR, not USD', reward: null })).toEqual({ refused: 'WrongCurrency', message: 'EUR, not USD' });
  });
});

describe('the machine outcome of a reward step', () => {
  it('is the same for what the activity returns now and for the whole reward older histories hold', () => {
    const legacyReward = { id: 'r-1', code: 'SAVE-1', amount: null, status: 'issued', causedBy: ['ord-1'] };
    const cases = [
      [{ outcome: 'issued', reward: { id: 'r-1', code: 'SAVE-1' } }, { outcome: 'issued', reward: legacyReward }, { outcome: 'succeeded', result: { rewardId: 'r-1', code: 'SAVE-1' } }],
      [{ outcome: 'issued', reward: { id: 'r-2', code: null } }, { outcome: 'issued', reward: { ...legacyReward, id: 'r-2', code: null } }, { outcome: 'succeeded', result: { rewardId: 'r-2', code: undefined } }],
      [{ outcome: 'alreadyHolding', reward: { id: 'r-1', code: 'SAVE-1' } }, { outcome: 'alreadyHolding', reward: legacyReward }, { outcome: 'succeeded', result: { alreadyHolding: 'r-1' } }],
      [{ outcome: 'exhausted', reason: 'budget' }, { outcome: 'exhausted', reason: 'budget' }, { outcome: 'exhausted', result: { reason: 'budget' } }],
    ] as const;
    for (const [now, legacy, expected] of cases) {
      expect(rewardStepOutcome(now)).toStrictEqual(expected);
      expect(rewardStepOutcome(legacy)).toStrictEqual(expected);
    }
  });
});

describe('the amount and currency checks', () => {
  it('give only finite amounts above 0', () => {
    expect([1, 0.5, 1e6].map(amountProblem)).toEqual([null, null, null]);
    expect([0, -1, -0].map(amountProblem)).toEqual(['nothingToGive', 'nothingToGive', 'nothingToGive']);
    expect([Number.NaN, Infinity, '5', null, undefined].map(amountProblem)).toEqual(['notANumber', 'notANumber', 'notANumber', 'notANumber', 'notANumber']);
  });

  it('refuse a reward action with a bad amount, a bad currency or no reward type', () => {
    const ok: RewardAction[] = [
      { type: 'coupon', pool: 'c', unlessHolding: false },
      { type: 'points', amount: 10, pool: null },
      { type: 'credit', amount: 2.5, currency: 'EUR', pool: 'eur' },
    ];
    expect(ok.map(rewardActionProblem)).toEqual([null, null, null]);
    expect(rewardActionProblem({ type: 'points', amount: -5, pool: null })).toMatchObject({ refused: 'InvalidAmount' });
    expect(rewardActionProblem({ type: 'credit', amount: Number.NaN, currency: 'EUR', pool: null })).toMatchObject({ refused: 'InvalidAmount' });
    expect(rewardActionProblem({ type: 'credit', amount: 1, currency: 'eur', pool: null })).toMatchObject({ refused: 'InvalidCurrency', message: 'not a currency code: eur' });
    expect(rewardActionProblem({ type: 'message' } as unknown as RewardAction)).toMatchObject({ refused: 'UnknownRewardType' });
  });
});
