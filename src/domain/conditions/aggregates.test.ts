import { aggregateContribution, reduceAggregate, type AggregateSpec } from './index';
import { cond, ctx, event, value } from './test-support';

const base = { user: {}, journey: { enteredAt: null, stateEnteredAt: null, entries: 1 }, now: 0 };
const spec = (src: string, i = 0): AggregateSpec => value(src).aggregates[i];

describe('aggregate functions in conditions', () => {
  it('read ctx.aggregate by a canonical key', () => {
    const c = cond("sum('order.completed', 'amount') >= 20");
    expect(c.aggregates).toEqual([{ key: "sum('order.completed', 'amount')", fn: 'sum', eventType: 'order.completed', property: 'amount' }]);
    expect(c.evaluate(ctx({ aggregates: { "sum('order.completed', 'amount')": 25 } }))).toBe(true);
    expect(c.evaluate(ctx({ aggregates: { "sum('order.completed', 'amount')": 12 } }))).toBe(false);
  });

  it('equal aggregates get equal keys however they are spaced or quoted', () => {
    expect(spec('sum("order.completed","amount")').key).toBe(spec("sum( 'order.completed' , 'amount' )").key);
  });

  it('lists each aggregate once per condition', () => {
    const c = cond("count('a') >= 1 && count('a') < 5 && count('b') > 0");
    expect(c.aggregates.map((a) => a.key)).toEqual(["count('a')", "count('b')"]);
  });

  it('count/sum/distinct of nothing are 0; min/max/avg of nothing are null', () => {
    expect(value("count('x')").evaluate(ctx())).toBe(0);
    expect(value("sum('x', 'a')").evaluate(ctx())).toBe(0);
    expect(value("distinct('x', 'a')").evaluate(ctx())).toBe(0);
    expect(value("min('x', 'a')").evaluate(ctx())).toBeNull();
    expect(value("max('x', 'a')").evaluate(ctx())).toBeNull();
    expect(value("avg('x', 'a')").evaluate(ctx())).toBeNull();
    expect(cond("avg('x', 'a') > 0").evaluate(ctx())).toBe(false);
  });

  it('value expressions over aggregates: points = sum * 10', () => {
    const v = value("sum('order.completed', 'amount') * 10");
    expect(v.evaluate(ctx({ aggregates: { "sum('order.completed', 'amount')": 25.5 } }))).toBe(255);
    expect(v.aggregates).toHaveLength(1);
  });

  it('count with a filter keeps the filter as a compiled condition on the aggregated event', () => {
    const s = spec("count('order.completed', event.amount >= 10)");
    expect(s.key).toBe("count('order.completed', event.amount >= 10)");
    expect(s.filter?.text).toBe('event.amount >= 10');
    expect(s.filter?.evaluate(ctx({ event: event({ amount: 12 }) }))).toBe(true);
  });

  it('sum/min/max/avg/distinct take an optional filter as a third argument', () => {
    const s = spec("sum('order.completed', 'amount', event.cityId == 2)");
    expect(aggregateContribution(s, event({ amount: 5, cityId: 2 }), base)).toBe(5);
    expect(aggregateContribution(s, event({ amount: 5, cityId: 3 }), base)).toBeUndefined();
  });
});

describe('aggregateContribution', () => {
  it('is undefined for another event type', () => {
    expect(aggregateContribution(spec("count('post.created')"), event({}, { type: 'order.completed' }), base)).toBeUndefined();
  });

  it('count contributes 1 when the filter holds', () => {
    const s = spec("count('order.completed', event.amount > 10)");
    expect(aggregateContribution(s, event({ amount: 11 }), base)).toBe(1);
    expect(aggregateContribution(s, event({ amount: 10 }), base)).toBeUndefined();
    expect(aggregateContribution(spec("count('order.completed')"), event(), base)).toBe(1);
  });

  it('the filter sees user and journey facts of the base context', () => {
    const s = spec("count('order.completed', user.vip == true)");
    expect(aggregateContribution(s, event(), { ...base, user: { vip: true } })).toBe(1);
    expect(aggregateContribution(s, event(), base)).toBeUndefined();
  });

  it('sum/min/max/avg contribute the number, nothing for missing or non-numeric properties', () => {
    for (const fn of ['sum', 'min', 'max', 'avg']) {
      const s = spec(`${fn}('order.completed', 'amount')`);
      expect(aggregateContribution(s, event({ amount: 3.5 }), base)).toBe(3.5);
      expect(aggregateContribution(s, event({}), base)).toBeUndefined();
      expect(aggregateContribution(s, event({ amount: '3' }), base)).toBeUndefined();
    }
  });

  it('reads nested properties', () => {
    expect(aggregateContribution(spec("sum('order.completed', 'total.amount')"), event({ total: { amount: 4 } }), base)).toBe(4);
  });

  it('distinct contributes strings, numbers and booleans', () => {
    const s = spec("distinct('order.completed', 'sku')");
    expect(aggregateContribution(s, event({ sku: 'a' }), base)).toBe('a');
    expect(aggregateContribution(s, event({ sku: 7 }), base)).toBe(7);
    expect(aggregateContribution(s, event({ sku: { x: 1 } }), base)).toBeUndefined();
  });
});

describe('reduceAggregate', () => {
  it('count counts contributions', () => {
    expect(reduceAggregate(spec("count('x')"), [1, 1, 1])).toBe(3);
    expect(reduceAggregate(spec("count('x')"), [])).toBe(0);
  });

  it('sum adds (0 when empty)', () => {
    expect(reduceAggregate(spec("sum('x', 'a')"), [1, 2.5])).toBe(3.5);
    expect(reduceAggregate(spec("sum('x', 'a')"), [])).toBe(0);
  });

  it('min/max/avg (null when empty)', () => {
    expect(reduceAggregate(spec("min('x', 'a')"), [3, 1, 2])).toBe(1);
    expect(reduceAggregate(spec("max('x', 'a')"), [3, 1, 2])).toBe(3);
    expect(reduceAggregate(spec("avg('x', 'a')"), [3, 1, 2])).toBe(2);
    for (const fn of ['min', 'max', 'avg']) expect(reduceAggregate(spec(`${fn}('x', 'a')`), [])).toBeNull();
  });

  it('distinct counts distinct values, keeping 1 and "1" apart', () => {
    expect(reduceAggregate(spec("distinct('x', 'a')"), ['a', 'b', 'a', 1, '1'])).toBe(4);
  });

  it('ignores undefined contributions', () => {
    expect(reduceAggregate(spec("count('x')"), [1, undefined, 1])).toBe(2);
  });

  it('a cancelled event is taken out by dropping its contribution', () => {
    const s = spec("sum('order.completed', 'amount')");
    const kept = new Map([
      ['ord-1', aggregateContribution(s, event({ amount: 15 }, { id: 'ord-1' }), base)],
      ['ord-2', aggregateContribution(s, event({ amount: 10 }, { id: 'ord-2' }), base)],
    ]);
    const c = cond("sum('order.completed', 'amount') >= 20");
    const at = () => ctx({ aggregates: { [s.key]: reduceAggregate(s, [...kept.values()]) } });
    expect(c.evaluate(at())).toBe(true);
    kept.delete('ord-1');
    expect(c.evaluate(at())).toBe(false);
  });
});
