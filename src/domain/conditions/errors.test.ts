import { compileValue } from './index';
import { issuesOf } from './test-support';

/** The single issue a source produces. */
function issue(source: unknown, path = 'when'): { path: string; message: string; position?: number } {
  const issues = issuesOf(source, path);
  expect(issues).toHaveLength(1);
  return issues[0];
}

describe('syntax errors carry the path and the position', () => {
  it.each([
    ['event.price >=', 14, /expected a value, found end of expression/],
    ['event.price = 20', 12, /unexpected character '='.*use '=='/],
    ['(event.a == 1', 13, /expected '\)'/],
    ["event.a == 'abc", 11, /unterminated string/],
    ['event.a == 1 == 2', 13, /cannot be chained/],
    ['event.a & event.b', 8, /use '&&'/],
    ['event.a > 1e999', 10, /out of range/],
    ['event. == 1', 7, /property name/],
    ['event.a == 1 #', 13, /unexpected character '#'/],
    ['event.a == 1 event.b == 2', 13, /expected an operator or the end of the expression, found 'event'/],
    ['event.a == 1 now()', 13, /expected an operator or the end/],
    ['price foo 20', 6, /unknown operator 'foo'/],
    ['event.a == 1)', 12, /expected an operator or the end/],
    ['[1, 2', 5, /expected ',' or '\]'/],
    ['count(', 6, /expected a value/],
    ["'a\\q'", 2, /invalid escape/],
    ['event.a == 12abc', 11, /invalid number/],
    ['&& event.a', 0, /expected a value/],
    ['event.a in == 1', 11, /expected a value/],
    ['', 0, /expected a value, found end of expression/],
  ])('%j at %d', (src, position, message) => {
    const i = issue(src, 'states.a.transitions[0].when');
    expect(i.path).toBe('states.a.transitions[0].when');
    expect(i.position).toBe(position);
    expect(i.message).toMatch(message);
  });

  it('refuses nesting deeper than 64 levels without overflowing the stack', () => {
    expect(issue(`${'('.repeat(5000)}event.a == 1${')'.repeat(5000)}`).message).toMatch(/nested more than 64/);
    expect(issue(`${'!'.repeat(5000)}true`).message).toMatch(/nested more than 64/);
    expect(issue(`${'-'.repeat(5000)}1 > 0`).message).toMatch(/nested more than 64/);
    expect(issue(`${Array(5000).fill('1').join(' + ')} > 0`).message).toMatch(/arithmetic operators in a row/);
  });

  it('accepts long flat chains of && and ||', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `event.a == ${i}`).join(' || ');
    expect(() => issuesOf(long)).toThrow(/expected .* to fail/);
  });
});

describe('unknown functions and wrong arity', () => {
  it('reports an unknown function at its name', () => {
    expect(issue('event.a == 1 && foo(1) > 2')).toMatchObject({ path: 'when', position: 16, message: expect.stringMatching(/unknown function 'foo'/) });
  });

  it.each([
    ['count() > 1', 0, /count takes 1 to 2 arguments, got 0/],
    ["count('a', true, 1) > 1", 0, /count takes 1 to 2 arguments, got 3/],
    ["sum('a') > 1", 0, /sum takes 2 to 3 arguments, got 1/],
    ["min('a') > 1", 0, /min takes 2 to 3/],
    ["max('a') > 1", 0, /max takes 2 to 3/],
    ["avg('a') > 1", 0, /avg takes 2 to 3/],
    ["distinct('a') > 1", 0, /distinct takes 2 to 3/],
    ['now(1) > 1', 0, /now takes 0 arguments, got 1/],
    ['daysSince() > 1', 0, /daysSince takes 1 argument, got 0/],
    ['monthDay(1, 2) == 1', 0, /monthDay takes 1 argument, got 2/],
    ['exists()', 0, /exists takes 1 argument, got 0/],
    ['exists(null)', 7, /not a literal/],
    ["exists('a')", 7, /not a literal/],
    ['atLeast(1)', 0, /atLeast takes a count and at least one condition/],
  ])('%s', (src, position, message) => {
    expect(issue(src)).toMatchObject({ path: 'when', position, message: expect.stringMatching(message) });
  });

  it('checks aggregate arguments', () => {
    expect(issue('count(event.type) > 1')).toMatchObject({ position: 6, message: expect.stringMatching(/event type string/) });
    expect(issue("sum('order.completed', amount) > 1")).toMatchObject({ position: 23, message: expect.stringMatching(/property name string/) });
    expect(issue("count('a', count('b') > 1) > 1")).toMatchObject({ position: 11, message: expect.stringMatching(/cannot be used inside an aggregate filter/) });
  });

  it('checks the atLeast count', () => {
    expect(issue('atLeast(3, event.a == 1, event.b == 1)')).toMatchObject({ position: 8, message: expect.stringMatching(/between 1 and the number of conditions \(2\)/) });
    expect(issue('atLeast(event.k, event.a == 1)')).toMatchObject({ position: 8, message: expect.stringMatching(/whole number/) });
    expect(issue('atLeast(1.5, event.a == 1)')).toMatchObject({ position: 8 });
    expect(issue({ atLeast: 0, of: ['event.a == 1'] })).toMatchObject({ path: 'when.atLeast', message: expect.stringMatching(/between 1/) });
    expect(issue({ atLeast: '2', of: ['event.a == 1'] })).toMatchObject({ path: 'when.atLeast' });
  });
});

describe('type mismatches between literals and operators', () => {
  it.each([
    ['event.x > true', 10, /'>' cannot order a boolean/],
    ['event.x <= [1, 2]', 11, /cannot order a list/],
    ["count('a') > 'abc'", 13, /cannot order a number against a string/],
    ["count('a') == 'abc'", 14, /never equal/],
    ["5 > 'abc'", 4, /cannot order a number against a string.*ISO 8601/],
    ['event.x == 1 && true == 1', 24, /a boolean is never equal to a number/],
    ["event.s startsWith 5", 19, /'startsWith' needs a string, found a number/],
    ["5 startsWith 'a'", 0, /needs a string on the left/],
    ["'abc' contains 5", 15, /on a string needs a string/],
    ['event.s contains true', 17, /cannot look for a boolean/],
    ['event.s contains [1]', 17, /cannot look for a list/],
    ["count('a') contains 'x'", 11, /needs a string or a list on the left/],
    ["event.x + 'a' > 1", 10, /'\+' needs numbers, found a string/],
    ['event.x * true > 1', 10, /'\*' needs numbers, found a boolean/],
    ["-'a' > 1", 1, /'-' needs numbers/],
    ['event.x in 5', 11, /'in' needs a list on the right, found a number/],
    ["event.x not in 'abc'", 15, /'not in' needs a list/],
    ['event.x > null', 10, /with null is always false/],
    ['null == null', 5, /null with null/],
    ["journey.entries startsWith 'a'", 16, /needs a string on the left, found a number/],
    ["daysSince(true) > 1", 10, /daysSince needs a date, found a boolean/],
    ["daysSince('yesterday') > 1", 10, /ISO 8601/],
  ])('%s', (src, position, message) => {
    expect(issue(src)).toMatchObject({ path: 'when', position, message: expect.stringMatching(message) });
  });

  it('allows what is meaningful: ISO strings against numbers, contains a number in a list fact, strings ordered', () => {
    for (const ok of ["now() > '2026-01-01T00:00:00Z'", 'event.ids contains 1', "event.name > 'a'", "monthDay(user.b) == '05-17'", "monthDay('05-17') == monthDay(now())"]) {
      expect(() => issuesOf(ok)).toThrow(/to fail/);
    }
  });
});

describe('conditions and values in the wrong place', () => {
  it.each([
    ['5', 0, /expected a condition, found a number/],
    ["'abc'", 0, /expected a condition, found a string/],
    ['event.a + 1', 8, /expected a condition, found a number/],
    ['count(\'a\')', 0, /expected a condition, found a number/],
    ['event.a == (event.b > 1)', 20, /expected a value, found a condition/],
    ['exists(event.a) + 1 > 0', 0, /is a condition, not a value/],
  ])('%s', (src, position, message) => {
    expect(issue(src)).toMatchObject({ position, message: expect.stringMatching(message) });
  });
});

describe('unknown facts', () => {
  it.each([
    ['order.amount > 1', 0, /unknown fact root 'order'/],
    ['event.a == 1 || customer.vip', 16, /unknown fact root 'customer'/],
    ['journey.foo == 1', 0, /unknown journey fact 'journey.foo'/],
    ['journey.entries.x == 1', 0, /unknown journey fact/],
    ['user == 1', 0, /'user' needs a property/],
  ])('%s', (src, position, message) => {
    expect(issue(src)).toMatchObject({ path: 'when', position, message: expect.stringMatching(message) });
  });
});

describe('errors inside the 2-D array point at the cell', () => {
  it('an unknown word operator', () => {
    expect(issue([['price gte 20'], ['cityId eq 2', 'price foo 20']], 'states.a.transitions[0].when')).toEqual({
      path: 'states.a.transitions[0].when[1][1]', position: 6, message: "unknown operator 'foo'",
    });
  });

  it('reports every broken cell', () => {
    const issues = issuesOf([['foo(1) > 1', 'event.a == 1'], ['event.b >']], 'w');
    expect(issues.map((i) => `${i.path}@${i.position}`).sort()).toEqual(['w[0][0]@0', 'w[1][0]@9']);
  });

  it('empty lists and groups, and non-conditions in cells', () => {
    expect(issue([], 'w')).toMatchObject({ path: 'w', message: expect.stringMatching(/empty list/) });
    expect(issue([['event.a == 1'], []], 'w')).toMatchObject({ path: 'w[1]', message: expect.stringMatching(/empty OR-group/) });
    expect(issue([['event.a == 1', 7]], 'w')).toMatchObject({ path: 'w[0][1]', message: expect.stringMatching(/expected a condition.*found a number/) });
    expect(issue([[null]], 'w')).toMatchObject({ path: 'w[0][0]', message: expect.stringMatching(/found null/) });
  });
});

describe('errors inside the JSON tree point at the key', () => {
  it('a literal that does not fit the operator', () => {
    const tree = { all: ['event.a == 1', 'event.b == 2', { fact: 'event.price', op: 'gte', value: true }] };
    expect(issue(tree, 'states.a.transitions[0].when')).toEqual({
      path: 'states.a.transitions[0].when.all[2].value', message: "'>=' cannot order a boolean",
    });
  });

  it('an unknown operator, fact, key or shape', () => {
    expect(issue({ fact: 'event.a', op: 'like', value: 'x' }, 'w')).toMatchObject({ path: 'w.op', message: expect.stringMatching(/unknown operator 'like'/) });
    expect(issue({ fact: 'order.a', op: 'eq', value: 1 }, 'w')).toMatchObject({ path: 'w.fact', position: 0, message: expect.stringMatching(/unknown fact root/) });
    expect(issue({ fact: 'event.a', op: 'eq' }, 'w')).toMatchObject({ path: 'w.value', message: expect.stringMatching(/needs a value/) });
    expect(issue({ fact: 'event.a', op: 'eq', value: { x: 1 } }, 'w')).toMatchObject({ path: 'w.value' });
    expect(issue({ fact: 'event.a', op: 'in', value: [1, { x: 1 }] }, 'w')).toMatchObject({ path: 'w.value[1]' });
    expect(issue({ fact: 'event.a', op: 'in', value: 1 }, 'w')).toMatchObject({ path: 'w.value', message: expect.stringMatching(/needs a list/) });
    expect(issue({ fact: 'event.a', op: 'exists', value: 1 }, 'w')).toMatchObject({ path: 'w.value' });
    expect(issue({ fact: 1, op: 'eq', value: 1 }, 'w')).toMatchObject({ path: 'w.fact' });
    expect(issue({ fact: 'event.a', op: 'eq', value: 1, note: 'x' }, 'w')).toMatchObject({ path: 'w.note', message: expect.stringMatching(/unexpected key 'note'/) });
    expect(issue({ all: ['event.a == 1'], any: [] }, 'w')).toMatchObject({ path: 'w.any' });
    expect(issue({ all: [] }, 'w')).toMatchObject({ path: 'w.all', message: expect.stringMatching(/at least one/) });
    expect(issue({ any: 'event.a == 1' }, 'w')).toMatchObject({ path: 'w.any', message: expect.stringMatching(/list of conditions/) });
    expect(issue({ when: 'x' }, 'w')).toMatchObject({ path: 'w', message: expect.stringMatching(/keys 'when'/) });
    expect(issue({ not: { all: ['event.a >'] } }, 'w')).toMatchObject({ path: 'w.not.all[0]', position: 9 });
    expect(issue({ atLeast: 1, of: ['event.a == 1', 'foo()'] }, 'w')).toMatchObject({ path: 'w.of[1]', position: 0 });
  });

  it('anything that is not a condition', () => {
    for (const bad of [1, null, undefined, {}, () => 1]) expect(issue(bad, 'w').path).toBe('w');
  });

  it('refuses JSON nested too deeply', () => {
    let deep: unknown = 'event.a == 1';
    for (let i = 0; i < 200; i++) deep = { not: deep };
    expect(issue(deep, 'w').message).toMatch(/nested more than 64/);
  });
});

describe('compileValue errors', () => {
  it('reports syntax and type errors with path and position', () => {
    const out = compileValue("sum('order.completed', 'amount') * 'x'", 'states.r.actions.steps[1].amount');
    expect(out).toEqual({ ok: false, issues: [{ path: 'states.r.actions.steps[1].amount', position: 35, message: "'*' needs numbers, found a string" }] });
    expect(compileValue({ x: 1 }, 'v')).toMatchObject({ ok: false, issues: [{ path: 'v' }] });
    expect(compileValue('bogus(', 'v')).toMatchObject({ ok: false, issues: [{ path: 'v', position: 6 }] });
  });
});

describe('a literal compared with null', () => {
  it('is refused with its position, like exists(<literal>)', () => {
    const { compileCondition: compile } = jest.requireActual('./index') as typeof import('./index');
    const out = compile('null == 1', 'states.a.transitions[0].when');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.issues).toEqual([{ path: 'states.a.transitions[0].when', message: expect.stringContaining('with null is always false'), position: 8 }]);
    expect(compile('event.x == null', 'p').ok).toBe(true);
  });
});
