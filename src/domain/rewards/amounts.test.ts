import { MAX_REWARD_AMOUNT, rewardActionProblem } from './amounts';

describe('rewardActionProblem', () => {
  it('refuses points and credit above the most one reward gives, and gives the most itself', () => {
    expect(rewardActionProblem({ type: 'points', amount: MAX_REWARD_AMOUNT, pool: null })).toBeNull();
    expect(rewardActionProblem({ type: 'credit', amount: MAX_REWARD_AMOUNT, currency: 'EUR', pool: null })).toBeNull();
    expect(rewardActionProblem({ type: 'points', amount: MAX_REWARD_AMOUNT * 1.5, pool: null })).toEqual({
      refused: 'InvalidAmount',
      message: 'amount 1500000000000 is more than one reward gives (at most 1,000,000,000,000)',
    });
    expect(rewardActionProblem({ type: 'credit', amount: 1.7e308, currency: 'EUR', pool: null })).toMatchObject({ refused: 'InvalidAmount' });
  });
});
