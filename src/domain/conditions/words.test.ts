import type { Cond } from './ast';
import { compileCondition } from '.';
import { conditionInWords } from './words';

const words = (source: unknown) => {
  const compiled = compileCondition(source, 'c');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return conditionInWords(compiled.value.normalized as Cond);
};

describe('conditionInWords', () => {
  it('says atLeast as "at least k of", not as JSON or a function call, in every notation', () => {
    const tree = { atLeast: 2, of: ["count('order.completed') >= 3", { fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 }, 'user.vip == true'] };
    const said = "at least 2 of (count('order.completed') >= 3; sum('order.completed', 'amount') >= 20; user.vip == true)";
    expect(words(tree)).toBe(said);
    expect(words("atLeast(2, count('order.completed') >= 3, sum('order.completed', 'amount') >= 20, user.vip == true)")).toBe(said);
  });

  it('says all / any with and / or, bracketing a group inside a group', () => {
    expect(words([["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 10"]])).toBe(
      "(sum('order.completed', 'amount') >= 20 or count('order.completed') >= 5) and count('post.created') >= 10",
    );
    expect(words('event.a == 1 || event.b == 2 && event.c == 3')).toBe('event.a == 1 or (event.b == 2 and event.c == 3)');
    expect(words({ all: [{ fact: 'event.amount', op: 'gt', value: 5 }, { any: ['event.x == 1', { not: 'event.y == 2' }] }] })).toBe(
      'event.amount > 5 and (event.x == 1 or not (event.y == 2))',
    );
  });

  it('keeps leaves, exists and aggregates with a filter as the compiler prints them', () => {
    expect(words('!exists(event.code)')).toBe('not exists(event.code)');
    expect(words("count('order.completed', event.amount > 5) >= 2")).toBe("count('order.completed', event.amount > 5) >= 2");
    expect(words({ not: { atLeast: 1, of: ['event.a == 1', 'event.b == 2'] } })).toBe('not (at least 1 of (event.a == 1; event.b == 2))');
    expect(words(true)).toBe('true');
  });
});
