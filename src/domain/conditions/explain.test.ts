import { cond, ctx, event } from './test-support';

const SPEND = "sum('order.completed', 'amount')";
const ORDERS = "count('order.completed')";
const POSTS = "count('post.created')";

describe('explain', () => {
  const c = cond([[`${SPEND} >= 20`, `${ORDERS} >= 5`], [`${POSTS} >= 10`]]);

  it('for a failing condition, lists the failing leaves with the values they saw', () => {
    const trace = c.explain(ctx({ aggregates: { [SPEND]: 12, [ORDERS]: 2, [POSTS]: 11 } }));
    expect(trace).toEqual({
      result: false,
      text: c.text,
      leaves: [
        { text: `${SPEND} >= 20`, result: false, values: { [SPEND]: 12 } },
        { text: `${ORDERS} >= 5`, result: false, values: { [ORDERS]: 2 } },
      ],
    });
  });

  it('for a holding condition, lists the leaves that made it hold', () => {
    const trace = c.explain(ctx({ aggregates: { [SPEND]: 25, [ORDERS]: 2, [POSTS]: 10 } }));
    expect(trace.result).toBe(true);
    expect(trace.leaves).toEqual([
      { text: `${SPEND} >= 20`, result: true, values: { [SPEND]: 25 } },
      { text: `${POSTS} >= 10`, result: true, values: { [POSTS]: 10 } },
    ]);
  });

  it('agrees with evaluate', () => {
    const c2 = cond('event.a == 1 && !(event.b > 2)');
    for (const props of [{ a: 1, b: 1 }, { a: 1, b: 3 }, { a: 2 }]) {
      const at = ctx({ event: event(props) });
      expect(c2.explain(at).result).toBe(c2.evaluate(at));
    }
  });

  it('shows missing facts as null and inner leaves of a negation', () => {
    const trace = cond('!(event.b > 2) && exists(user.email)').explain(ctx({ event: event({ b: 3 }) }));
    expect(trace.leaves).toEqual([
      { text: 'event.b > 2', result: true, values: { 'event.b': 3 } },
      { text: 'exists(user.email)', result: false, values: { 'user.email': null } },
    ]);
  });

  it('explains atLeast by the leaves on the deciding side', () => {
    const trace = cond('atLeast(2, event.a == 1, event.b == 1, event.c == 1)').explain(ctx({ event: event({ a: 1 }) }));
    expect(trace.result).toBe(false);
    expect(trace.leaves.map((l) => l.text)).toEqual(['event.b == 1', 'event.c == 1']);
  });

  it('is bounded to 20 leaves and truncates long values', () => {
    const many = cond({ all: Array.from({ length: 50 }, (_, i) => `event.s == 'x${i}'`) });
    const trace = many.explain(ctx({ event: event({ s: 'y'.repeat(1000) }) }));
    expect(trace.leaves).toHaveLength(20);
    const shown = trace.leaves[0].values['event.s'] as string;
    expect(shown.length).toBeLessThanOrEqual(121);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('truncates big arrays and objects', () => {
    const trace = cond("event.list contains 'q'").explain(ctx({ event: event({ list: Array.from({ length: 100 }, (_, i) => i) }) }));
    expect(trace.leaves[0].values['event.list']).toHaveLength(11);
    const deep = cond('event.o == 1').explain(ctx({ event: event({ o: { a: { b: { c: 1 } } } }) }));
    expect(deep.leaves[0].values['event.o']).toEqual({ a: { b: '{…}' } });
  });

  it('does not list literals as values', () => {
    const trace = cond('event.x in [1, 2]').explain(ctx({ event: event({ x: 3 }) }));
    expect(trace.leaves[0].values).toEqual({ 'event.x': 3 });
  });
});
