import { cond, ctx, value } from './test-support';

const SUM = "sum('order.completed', 'amount')";
/** What orders of 2.40, 14.20 and 3.40 add up to as doubles. */
const doubles = [2.4, 14.2, 3.4].reduce((a, b) => a + b, 0);

describe('computed numbers read as the decimals they stand for (patch decimal-readings)', () => {
  it('makes sum(...) >= 20 hold for orders that add up to 20.00, whose doubles do not', () => {
    expect(doubles).toBe(19.999999999999996);
    expect(cond(`${SUM} >= 20`).evaluate(ctx({ aggregates: { [SUM]: doubles } }))).toBe(true);
    expect(value(SUM).evaluate(ctx({ aggregates: { [SUM]: doubles } }))).toBe(20);
    expect(value("avg('order.completed', 'amount')").evaluate(ctx({ aggregates: { "avg('order.completed', 'amount')": doubles / 3 } }))).toBe(6.66666666666667);
  });

  it('reads arithmetic as decimals too: 0.7 * 3 >= 2.1', () => {
    expect(0.7 * 3).toBe(2.0999999999999996);
    expect(cond('event.price * event.qty >= 2.1').evaluate(ctx({ event: { id: 'e', type: 'order.completed', occurredAt: '2026-11-20T00:00:00Z', properties: { price: 0.7, qty: 3 } } }))).toBe(true);
  });

  it('asks ctx.decimals only where the decimal differs, and reads the double on false (journeys from before)', () => {
    let asked = 0;
    const before = () => {
      asked++;
      return false;
    };
    expect(cond(`${SUM} >= 20`).evaluate(ctx({ aggregates: { [SUM]: doubles }, decimals: before }))).toBe(false);
    expect(asked).toBe(1);
    expect(cond(`${SUM} >= 20`).evaluate(ctx({ aggregates: { [SUM]: 20.5 }, decimals: before }))).toBe(true);
    expect(value(`${SUM} * 10`).evaluate(ctx({ aggregates: { [SUM]: 25.5 }, decimals: before }))).toBe(255);
    expect(asked).toBe(1);
  });

  it('reads once, at the end, not at each step: avg * count of 50, 25 and 25 is 100, and 100 / 3 * 3 is 100 (review-59-diff, finding 1)', () => {
    const AVG = "avg('order.completed', 'amount')";
    const COUNT = "count('order.completed')";
    const aggregates = { [AVG]: 100 / 3, [COUNT]: 3 };
    expect(cond(`${AVG} * ${COUNT} >= 100`).evaluate(ctx({ aggregates }))).toBe(true);
    expect(value(`${AVG} * ${COUNT}`).evaluate(ctx({ aggregates }))).toBe(100);
    expect(value('event.amount / 3 * 3').evaluate(ctx({ event: { id: 'e', type: 't', occurredAt: '2026-11-20T00:00:00Z', properties: { amount: 100 } } }))).toBe(100);
  });

  it('leaves whole numbers as they are, however large: counts and ids past 15 digits', () => {
    const big = 2 ** 60 + 2 ** 12;
    expect(value(SUM).evaluate(ctx({ aggregates: { [SUM]: big } }))).toBe(big);
    expect(value('event.id2 + 1').evaluate(ctx({ event: { id: 'e', type: 't', occurredAt: '2026-11-20T00:00:00Z', properties: { id2: 9007199254740000 } } }))).toBe(9007199254740001);
  });
});
