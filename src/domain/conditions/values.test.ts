import { compileValue } from './index';
import { ctx, event, value } from './test-support';

describe('compileValue', () => {
  it('JSON numbers, booleans and null are constants', () => {
    expect(value(42).evaluate(ctx())).toBe(42);
    expect(value(true).evaluate(ctx())).toBe(true);
    expect(value(null).evaluate(ctx())).toBeNull();
    expect(value(42).aggregates).toEqual([]);
  });

  it('a string is an expression: quote text to get text', () => {
    expect(value("'almost there'").evaluate(ctx())).toBe('almost there');
    expect(value('"a"').evaluate(ctx())).toBe('a');
    expect(value('event.amount').evaluate(ctx({ event: event({ amount: 7 }) }))).toBe(7);
    expect(value('12.5').evaluate(ctx())).toBe(12.5);
  });

  it('points from spend: sum * 10, with its aggregate listed', () => {
    const v = value("sum('order.completed', 'amount') * 10");
    expect(v.text).toBe("sum('order.completed', 'amount') * 10");
    expect(v.aggregates.map((a) => a.key)).toEqual(["sum('order.completed', 'amount')"]);
    expect(v.evaluate(ctx({ aggregates: { "sum('order.completed', 'amount')": 3 } }))).toBe(30);
  });

  it('a condition used as a value evaluates to its boolean', () => {
    const v = value('event.amount > 10 && user.vip');
    expect(v.evaluate(ctx({ event: event({ amount: 11 }), user: { vip: true } }))).toBe(true);
    expect(v.evaluate(ctx({ event: event({ amount: 9 }), user: { vip: true } }))).toBe(false);
  });

  it('time values', () => {
    expect(value('monthDay(user.birthday)').evaluate(ctx({ user: { birthday: '1990-02-03' } }))).toBe('02-03');
  });

  it('refuses lists, objects and non-finite numbers as JSON', () => {
    for (const bad of [[1], { a: 1 }, Infinity, NaN, undefined]) expect(compileValue(bad, 'v').ok).toBe(false);
  });

  it('prints text canonically', () => {
    expect(value('(1 + event.a) * 2 - (event.b - 3)').text).toBe('(1 + event.a) * 2 - (event.b - 3)');
    expect(value('event.a * -2').text).toBe('event.a * (-2)');
    expect(value("'it\\'s'").text).toBe("'it\\'s'");
  });
});
