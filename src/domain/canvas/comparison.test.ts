import fc from 'fast-check';
import { compileCondition } from '../conditions';
import { AGGREGATE_FUNCTIONS } from '../conditions/types';
import { changeComparison, COMPARATORS, formatComparison, parseComparison, startComparison, type AggregateComparison } from './comparison';

const known = [
  { type: 'order.completed', properties: ['amount', 'cityId'] },
  { type: 'post.created', properties: ['words'] },
];

describe('the comparison picker model', () => {
  it('reads the seed condition cells into fields', () => {
    expect(parseComparison("sum('order.completed', 'amount') >= 20")).toEqual({ fn: 'sum', eventType: 'order.completed', property: 'amount', op: '>=', value: 20 });
    expect(parseComparison("count('order.completed') >= 5")).toEqual({ fn: 'count', eventType: 'order.completed', op: '>=', value: 5 });
    expect(parseComparison("count('post.created') >= 10")).toEqual({ fn: 'count', eventType: 'post.created', op: '>=', value: 10 });
  });

  it('reads any spelling the compiler reads the same way', () => {
    expect(parseComparison('avg("order.completed","amount")gte 2.5')).toEqual({ fn: 'avg', eventType: 'order.completed', property: 'amount', op: '>=', value: 2.5 });
    expect(parseComparison("min('t', 'p') < -3")).toMatchObject({ op: '<', value: -3 });
    expect(parseComparison("distinct('t', 'a.b') != 0")).toMatchObject({ fn: 'distinct', property: 'a.b', op: '!=' });
  });

  it('leaves every other expression as text', () => {
    for (const text of [
      'true',
      '',
      "sum('order.completed', 'amount') >>= 20",
      "count('order.completed', event.amount > 3) >= 5",
      "sum('order.completed') >= 20",
      "count('order.completed', 'amount') >= 5",
      "20 <= sum('order.completed', 'amount')",
      "count('a') >= 1 && count('b') >= 1",
      "count('a') >= user.level",
      "count('a') + 1 >= 2",
      "count('a') in [1, 2]",
      "unknown('a') >= 1",
      'event.amount >= 20',
      "count(event.type) >= 1",
    ]) {
      expect([text, parseComparison(text)]).toEqual([text, null]);
    }
  });

  it('writes the fields as the expression the compiler prints, quotes escaped', () => {
    expect(formatComparison({ fn: 'sum', eventType: 'order.completed', property: 'amount', op: '>=', value: 20 })).toBe("sum('order.completed', 'amount') >= 20");
    expect(formatComparison({ fn: 'count', eventType: 'post.created', property: 'ignored', op: '>', value: 9 })).toBe("count('post.created') > 9");
    expect(formatComparison({ fn: 'max', eventType: "it's", property: 'x', op: '<', value: -0 })).toBe("max('it\\'s', 'x') < 0");
  });

  const comparison: fc.Arbitrary<AggregateComparison> = fc
    .record({
      fn: fc.constantFrom(...AGGREGATE_FUNCTIONS),
      eventType: fc.string({ minLength: 1, maxLength: 12 }),
      property: fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6})?$/),
      op: fc.constantFrom(...COMPARATORS),
      value: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    })
    .map((c) => (c.fn === 'count' ? { fn: c.fn, eventType: c.eventType, op: c.op, value: Object.is(c.value, -0) ? 0 : c.value } : { ...c, value: Object.is(c.value, -0) ? 0 : c.value }));

  it('property: fields written and read back are the same fields, and the compiler accepts what is written', () => {
    fc.assert(
      fc.property(comparison, (c) => {
        const text = formatComparison(c);
        expect(parseComparison(text)).toEqual(c);
        expect(compileCondition(text, 'when').ok).toBe(true);
      }),
    );
  });

  it('gives count no property, and the other aggregates one the event type has', () => {
    const start = startComparison(known);
    expect(start).toEqual({ fn: 'count', eventType: 'order.completed', op: '>=', value: 1 });
    const sum = changeComparison(start, { fn: 'sum' }, known);
    expect(sum).toEqual({ fn: 'sum', eventType: 'order.completed', property: 'amount', op: '>=', value: 1 });
    expect(changeComparison(sum, { property: 'cityId' }, known).property).toBe('cityId');
    // Another event type: a property it does not have is replaced by one it has.
    expect(changeComparison(sum, { eventType: 'post.created' }, known).property).toBe('words');
    // A type nobody has seen yet keeps what was chosen; with nothing chosen the property is left empty for the compiler to point at.
    expect(changeComparison(sum, { eventType: 'cart.updated' }, known).property).toBe('amount');
    expect(changeComparison(startComparison([], 'cart.updated'), { fn: 'max' }, known)).toMatchObject({ property: '' });
    expect(changeComparison(sum, { fn: 'count' }, known)).toEqual({ fn: 'count', eventType: 'order.completed', op: '>=', value: 1 });
    expect(changeComparison(sum, { op: '<', value: 3 }, known)).toMatchObject({ op: '<', value: 3, property: 'amount' });
    expect(startComparison([])).toMatchObject({ eventType: 'order.completed' });
  });

  // The vocabulary lists the properties of the latest events only: a cell over a rarer one keeps it.
  const price = () => {
    const c = parseComparison("sum('order.completed', 'price') >= 20");
    if (!c) throw new Error('expected fields');
    return c;
  };

  it('keeps a property the vocabulary does not list when the number, the comparator or the function changes', () => {
    expect(changeComparison(price(), { value: 25 }, known)).toEqual({ fn: 'sum', eventType: 'order.completed', property: 'price', op: '>=', value: 25 });
    expect(changeComparison(price(), { op: '>' }, known).property).toBe('price');
    expect(changeComparison(price(), { fn: 'avg' }, known).property).toBe('price');
    expect(formatComparison(changeComparison(price(), { value: 25 }, known))).toBe("sum('order.completed', 'price') >= 25");
  });

  it('takes the property typed after "other…" as it is', () => {
    expect(changeComparison(price(), { property: 'discount' }, known).property).toBe('discount');
    expect(changeComparison(changeComparison(price(), { property: 'amount' }, known), { property: 'price' }, known).property).toBe('price');
  });

  it('replaces the property only when the event type changes to a known one without it', () => {
    expect(changeComparison(price(), { eventType: 'post.created' }, known).property).toBe('words');
    expect(changeComparison(price(), { eventType: 'cart.updated' }, known).property).toBe('price');
    const refunds = [...known, { type: 'order.refunded', properties: ['reason', 'amount'] }];
    expect(changeComparison({ ...price(), property: 'amount' }, { eventType: 'order.refunded' }, refunds).property).toBe('amount');
  });

  it('property: changing the number or the comparator never touches the property', () => {
    const edit = fc.oneof(
      fc.record({ value: fc.integer({ min: -1e6, max: 1e6 }) }),
      fc.record({ op: fc.constantFrom(...COMPARATORS) }),
    );
    fc.assert(
      // Over the event types the vocabulary knows too, where a property it does not list would be "wrong".
      fc.property(comparison, fc.constantFrom(...known.map((k) => k.type), 'cart.updated'), edit, (c, eventType, change) => {
        expect(changeComparison({ ...c, eventType }, change, known).property).toBe(c.property);
      }),
    );
  });
});
