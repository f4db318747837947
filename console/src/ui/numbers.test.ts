import { amount, counted, plural } from './numbers';

describe('amount', () => {
  // Node's default locale may be anything; the grouping checked is the one it writes.
  const grouped = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 6 });

  it('groups counts and amounts as the locale does, keeps fractions, and writes none as a dash', () => {
    expect(amount(10_000_000)).toBe(grouped(10_000_000));
    expect(amount(10_000_000)).not.toBe('10000000');
    expect(amount(42.5)).toBe(grouped(42.5));
    expect(amount(0)).toBe('0');
    expect(amount(null)).toBe('—');
    expect(amount(undefined)).toBe('—');
    expect(amount(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('writes numbers past 10^15 as JavaScript does, not digit by digit', () => {
    expect(amount(1.7e308)).toBe('1.7e+308');
    expect(amount(1e15)).toBe('1000000000000000');
  });
});

describe('plural and counted', () => {
  it('take the singular for exactly one and the plural otherwise, zero and fractions included', () => {
    expect(plural(1, 'coupon')).toBe('coupon');
    expect(plural(0, 'coupon')).toBe('coupons');
    expect(plural(2, 'entry', 'entries')).toBe('entries');
    expect(plural(1.5, 'point')).toBe('points');
  });

  it('say the count grouped, with its noun', () => {
    expect(counted(1, 'coupon')).toBe('1 coupon');
    expect(counted(0, 'point')).toBe('0 points');
    expect(counted(1_000_000, 'coupon')).toBe(`${amount(1_000_000)} coupons`);
    expect(counted(1_000_000, 'coupon')).not.toBe('1000000 coupons');
    expect(counted(3, 'entry', 'entries')).toBe('3 entries');
  });
});
