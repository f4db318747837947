import { compileCondition } from './index';
import { cond, ctx, event, holds } from './test-support';

const normalized = (source: unknown): unknown => cond(source).normalized;

describe('the 2-D array (OR-groups that must all hold)', () => {
  const grid = [['event.productId eq 1', 'event.productId eq 2'], ['event.cityId eq 2'], ['event.price gte 20']];

  it('means (a || b) && c && d', () => {
    expect(normalized(grid)).toEqual(normalized('(event.productId == 1 || event.productId == 2) && event.cityId == 2 && event.price >= 20'));
    expect(holds(grid, { productId: 2, cityId: 2, price: 20 })).toBe(true);
    expect(holds(grid, { productId: 3, cityId: 2, price: 20 })).toBe(false);
    expect(holds(grid, { productId: 1, cityId: 2, price: 19 })).toBe(false);
  });

  it.each([
    ['eq', 5, true], ['ne', 5, false], ['gt', 4, true], ['gte', 5, true], ['lt', 6, true], ['lte', 4, false],
  ])('word operator %s', (op, n, expected) => {
    expect(holds([[`event.x ${op} ${n}`]], { x: 5 })).toBe(expected);
  });

  it('word operators in, nin, contains', () => {
    expect(holds([['event.x in [1, 5]']], { x: 5 })).toBe(true);
    expect(holds([['event.x nin [1, 5]']], { x: 5 })).toBe(false);
    expect(holds([["event.s contains 'b'"]], { s: 'abc' })).toBe(true);
  });

  it('seed example: (productId == 1 || productId == 1) && (cityId == 2) && (price >= 20) with bare names', () => {
    const seed = [['productId eq 1', 'productId eq 1'], ['cityId eq 2'], ['price gte 20']];
    expect(holds(seed, { productId: 1, cityId: 2, price: 20 })).toBe(true);
    expect(holds(seed, { productId: 1, cityId: 2, price: 19.99 })).toBe(false);
    expect(holds(seed, { productId: 2, cityId: 2, price: 30 })).toBe(false);
    expect(normalized(seed)).toEqual(normalized('(event.productId == 1 || event.productId == 1) && event.cityId == 2 && event.price >= 20'));
  });

  it('seed example: (total spend >= 20 or 5 orders) and (10 posts)', () => {
    const seed = [["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 10"]];
    const c = cond(seed);
    expect(c.aggregates.map((a) => a.key)).toEqual(["sum('order.completed', 'amount')", "count('order.completed')", "count('post.created')"]);
    const at = (spend: number, orders: number, posts: number): boolean =>
      c.evaluate(ctx({ aggregates: { "sum('order.completed', 'amount')": spend, "count('order.completed')": orders, "count('post.created')": posts } }));
    expect(at(20, 1, 10)).toBe(true);
    expect(at(5, 5, 10)).toBe(true);
    expect(at(19.5, 4, 10)).toBe(false);
    expect(at(100, 9, 9)).toBe(false);
  });

  it('a non-array row is a group of one: ["a", "b"] means a && b', () => {
    expect(normalized(['event.a == 1', ['event.b == 2', 'event.c == 3']])).toEqual(normalized('event.a == 1 && (event.b == 2 || event.c == 3)'));
  });

  it('leaves may be JSON-tree objects or booleans', () => {
    expect(normalized([[{ fact: 'event.a', op: 'eq', value: 1 }, true]])).toEqual(normalized('event.a == 1 || true'));
  });
});

describe('the JSON tree', () => {
  it('all / any / not', () => {
    const tree = { all: [{ fact: 'event.productId', op: 'eq', value: 1 }, { any: ['event.cityId == 2', { fact: 'event.cityId', op: '==', value: 3 }] }, { not: { fact: 'event.price', op: 'lt', value: 20 } }] };
    expect(normalized(tree)).toEqual(normalized('event.productId == 1 && (event.cityId == 2 || event.cityId == 3) && !(event.price < 20)'));
    expect(holds(tree, { productId: 1, cityId: 3, price: 20 })).toBe(true);
    expect(holds(tree, { productId: 1, cityId: 3, price: 19 })).toBe(false);
  });

  it.each([
    ['eq', 5, true], ['ne', 5, false], ['gt', 5, false], ['gte', 5, true], ['lt', 5, false], ['lte', 5, true],
    ['in', [4, 5], true], ['nin', [4, 5], false], ['not in', [4], true], ['==', 5, true], ['>=', 6, false],
  ])('fact leaf with op %s', (op, v, expected) => {
    expect(holds({ fact: 'event.x', op, value: v }, { x: 5 })).toBe(expected);
  });

  it('fact leaf with contains, startsWith and exists', () => {
    expect(holds({ fact: 'event.s', op: 'contains', value: 'b' }, { s: 'abc' })).toBe(true);
    expect(holds({ fact: 'event.s', op: 'startsWith', value: 'ab' }, { s: 'abc' })).toBe(true);
    expect(holds({ fact: 'event.s', op: 'exists' }, { s: 'abc' })).toBe(true);
    expect(holds({ fact: 'event.s', op: 'exists' }, {})).toBe(false);
  });

  it('a string value is data, not an expression', () => {
    expect(holds({ fact: 'event.s', op: 'eq', value: 'event.t' }, { s: 'event.t', t: 'x' })).toBe(true);
  });

  it('a fact may be a value expression, and a bare name is an event property', () => {
    expect(normalized({ fact: 'price', op: 'gte', value: 20 })).toEqual(normalized('event.price >= 20'));
    expect(normalized({ fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 })).toEqual(normalized("sum('order.completed', 'amount') >= 20"));
  });

  it('null values are null tests', () => {
    expect(normalized({ fact: 'event.x', op: 'eq', value: null })).toEqual(normalized('!exists(event.x)'));
    expect(normalized({ fact: 'event.x', op: 'ne', value: null })).toEqual(normalized('exists(event.x)'));
  });

  it('true and false are conditions', () => {
    expect(normalized(true)).toEqual({ const: true });
    expect(normalized({ any: [false, 'event.a == 1'] })).toEqual(normalized('false || event.a == 1'));
  });
});

describe('any 3 of 10 conditions', () => {
  const ten = Array.from({ length: 10 }, (_, i) => `event.c${i} == true`);
  const props = (n: number): Record<string, boolean> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, true]));

  it('as { atLeast: 3, of: [...] }', () => {
    const c = cond({ atLeast: 3, of: ten });
    expect(c.evaluate(ctx({ event: event(props(2)) }))).toBe(false);
    expect(c.evaluate(ctx({ event: event(props(3)) }))).toBe(true);
    expect(c.evaluate(ctx({ event: event(props(10)) }))).toBe(true);
  });

  it('as atLeast(3, ...) in an expression, with the same normalized form', () => {
    const expr = `atLeast(3, ${ten.join(', ')})`;
    expect(normalized(expr)).toEqual(normalized({ atLeast: 3, of: ten }));
    expect(holds(expr, props(3))).toBe(true);
    expect(holds(expr, props(2))).toBe(false);
  });

  it('counts only holding conditions, whichever they are', () => {
    expect(holds({ atLeast: 2, of: ['event.a == 1', 'event.b == 1', 'event.c == 1'] }, { a: 1, c: 1 })).toBe(true);
    expect(holds({ atLeast: 2, of: ['event.a == 1', 'event.b == 1', 'event.c == 1'] }, { b: 1 })).toBe(false);
  });
});

describe('normalization', () => {
  it('is the same for all three notations', () => {
    const forms = [
      'event.productId == 1 && (event.cityId == 2 || event.cityId == 3) && event.price >= 20',
      [['event.productId eq 1'], ['event.cityId eq 2', 'event.cityId eq 3'], ['event.price gte 20']],
      { all: [{ fact: 'event.productId', op: 'eq', value: 1 }, { any: [{ fact: 'event.cityId', op: 'eq', value: 2 }, { fact: 'event.cityId', op: 'eq', value: 3 }] }, { fact: 'event.price', op: 'gte', value: 20 }] },
    ];
    const [a, b, c] = forms.map(normalized);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('flattens nested all/any and unwraps singletons', () => {
    expect(normalized('event.a == 1 && (event.b == 1 && event.c == 1)')).toEqual(normalized('event.a == 1 && event.b == 1 && event.c == 1'));
    expect(normalized({ all: [{ any: ['event.a == 1'] }] })).toEqual(normalized('event.a == 1'));
  });

  it('puts a literal on the right: 20 <= price is price >= 20', () => {
    expect(normalized('20 <= event.price')).toEqual(normalized('event.price >= 20'));
    expect(normalized('1 == productId')).toEqual(normalized('event.productId == 1'));
  });

  it('removes double negation and treats and/&&, or/||, eq/== alike', () => {
    expect(normalized('!!(event.a == 1)')).toEqual(normalized('event.a == 1'));
    expect(normalized('event.a eq 1 and event.b gt 2 or not event.c lte 3')).toEqual(normalized('event.a == 1 && event.b > 2 || !(event.c <= 3)'));
  });

  it('text is the normalized expression and compiles back to the same form', () => {
    const c = cond([["productId eq 1", "price gte 20"], ["count('post.created', event.likes > 3) >= 10"]]);
    expect(c.text).toBe("(event.productId == 1 || event.price >= 20) && count('post.created', event.likes > 3) >= 10");
    expect(normalized(c.text)).toEqual(c.normalized);
  });

  it('is JSON with no positions', () => {
    expect(normalized('event.price >= 20')).toEqual({ op: 'gte', left: { fact: 'event.price' }, right: { lit: 20 } });
  });
});

describe('compileCondition outcome', () => {
  it('is ok with a value, or not ok with issues', () => {
    expect(compileCondition('event.a == 1', 'p').ok).toBe(true);
    expect(compileCondition('event.a ==', 'p').ok).toBe(false);
  });
});
