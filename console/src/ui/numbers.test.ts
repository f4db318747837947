import { amount, counted, exactAmount, plural } from './numbers';

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

describe('exactAmount', () => {
  const decimal = new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === 'decimal')!.value;

  it('keeps every fraction digit, so a sum that fails a comparison never reads as one that passes', () => {
    const sum = String(0.7 + 0.1);
    expect(sum).toBe('0.7999999999999999');
    expect(exactAmount(sum)).toBe(`0${decimal}7999999999999999`);
    expect(exactAmount(sum)).not.toBe(amount(0.8));
    expect(exactAmount(String(3.19 + 0.01))).toBe(`3${decimal}1999999999999997`);
  });

  it('groups the integer part as the locale does, keeps the sign, and gives back text that is not a plain decimal', () => {
    expect(exactAmount('1000000')).toBe(amount(1_000_000));
    expect(exactAmount('-1234567.125')).toBe(`-${amount(1_234_567)}${decimal}125`);
    expect(exactAmount('12345678901234567890')).toBe(BigInt('12345678901234567890').toLocaleString());
    expect(exactAmount('1e+21')).toBe('1e+21');
    expect(exactAmount('"gift"')).toBe('"gift"');
  });
});
