import { MAX_REWARD_AMOUNT, rewardActionProblem, roundedAmount } from './amounts';

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

describe('roundedAmount', () => {
  it('drops the tail binary floating point adds, and keeps every digit a double holds', () => {
    expect([0.1 * 3, 0.1 + 0.2, 25.5 * 10 * 1.1, 1 / 3, 999_999_999_999.99, 1e-20, 12.345, 7].map(roundedAmount)).toEqual([
      0.3, 0.3, 280.5, 0.333333333333333, 999_999_999_999.99, 1e-20, 12.345, 7,
    ]);
  });
});
