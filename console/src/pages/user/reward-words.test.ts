import { amount } from '../../ui/numbers';
import { rewardName } from './reward-words';

describe('rewardName', () => {
  it('names a coupon by its code, and points and credit by their grouped amount', () => {
    expect(rewardName({ kind: 'coupon', code: 'WELCOME-10' })).toBe('coupon WELCOME-10');
    expect(rewardName({ kind: 'points', amount: 1_000_000 })).toBe(`${amount(1_000_000)} points`);
    expect(rewardName({ kind: 'points', amount: 1 })).toBe('1 point');
    expect(rewardName({ kind: 'credit', amount: 12.5, currency: 'EUR' })).toBe(`${amount(12.5)} EUR credit`);
  });

  it('says only the kind when the journey knows no more', () => {
    expect(rewardName({ kind: 'coupon' })).toBe('coupon');
    expect(rewardName({ kind: 'points' })).toBe('points');
    expect(rewardName({ kind: 'credit', currency: 'EUR' })).toBe('EUR credit');
  });
});
