/**
 * Property tests: random condition trees rendered in all three notations
 * must normalize alike and agree with a small reference model; no input,
 * however odd, may make compilation or evaluation throw.
 */
import fc from 'fast-check';
import { compileCondition, type FactContext } from './index';
import { ctx, event } from './test-support';

type Lit = number | string | boolean | null;
type Leaf =
  | { t: 'cmp'; fact: string; op: string; value: Lit | Lit[] }
  | { t: 'exists'; fact: string }
  | { t: 'agg'; text: string; key: string; op: string; n: number };
type Tree = Leaf | { t: 'all' | 'any'; items: Tree[] } | { t: 'not'; item: Tree } | { t: 'atLeast'; k: number; items: Tree[] };

const FACTS = ['event.a', 'event.b', 'event.n.m', 'user.c'];
const STRINGS = ['', 'a', 'ab', 'b', 'abc', "it's", 'x"y'];
const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(...STRINGS), fc.boolean());
const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.25));
const str = fc.constantFrom(...STRINGS);

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ t: fc.constant('cmp' as const), fact: fc.constantFrom(...FACTS), op: fc.constantFrom('eq', 'ne'), value: scalar }),
  fc.record({ t: fc.constant('cmp' as const), fact: fc.constantFrom(...FACTS), op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: fc.oneof(num, str) }),
  fc.record({ t: fc.constant('cmp' as const), fact: fc.constantFrom(...FACTS), op: fc.constantFrom('in', 'nin'), value: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ t: fc.constant('cmp' as const), fact: fc.constantFrom(...FACTS), op: fc.constantFrom('contains', 'startsWith'), value: str }),
  fc.record({ t: fc.constant('exists' as const), fact: fc.constantFrom(...FACTS) }),
);

const aggLeaf: fc.Arbitrary<Leaf> = fc.record({
  t: fc.constant('agg' as const),
  which: fc.constantFrom(
    { text: "count('post.created')", key: "count('post.created')" },
    { text: 'sum("order.completed","amount")', key: "sum('order.completed', 'amount')" },
  ),
  op: fc.constantFrom('gte', 'lt', 'eq'),
  n: fc.integer({ min: 0, max: 5 }),
}).map(({ which, op, n }) => ({ t: 'agg' as const, text: which.text, key: which.key, op, n }));

const anyLeaf = fc.oneof({ weight: 5, arbitrary: leaf }, { weight: 1, arbitrary: aggLeaf });

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyLeaf,
    fc.record({ t: fc.constantFrom('all' as const, 'any' as const), items: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ t: fc.constant('not' as const), item: tie('tree') }),
    fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).chain((items) =>
      fc.integer({ min: 1, max: items.length }).map((k) => ({ t: 'atLeast' as const, k, items })),
    ),
  ),
}));

// ---- renderers: each notation, with the spellings varied by a seed ----

const SYM: Record<string, [string, string]> = {
  eq: ['==', 'eq'], ne: ['!=', 'ne'], gt: ['>', 'gt'], gte: ['>=', 'gte'], lt: ['<', 'lt'], lte: ['<=', 'lte'],
  in: ['in', 'in'], nin: ['not in', 'nin'], contains: ['contains', 'contains'], startsWith: ['startsWith', 'startsWith'],
};
const MIRROR: Record<string, string> = { eq: 'eq', ne: 'ne', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };

function lit(v: Lit | Lit[], dq: boolean): string {
  if (Array.isArray(v)) return `[${v.map((x) => lit(x, dq)).join(', ')}]`;
  if (typeof v === 'string') return dq ? JSON.stringify(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(v);
}

/** Bare `a` is shorthand for `event.a`; use it sometimes. */
const factName = (f: string, s: number): string => (f === 'event.a' && s % 2 === 1 ? 'a' : f);

function exprLeaf(l: Leaf, s: number): string {
  const word = s % 3 === 0;
  if (l.t === 'exists') return s % 2 ? `exists(${factName(l.fact, s)})` : `${factName(l.fact, s)} != null`;
  if (l.t === 'agg') return `${l.text} ${SYM[l.op][word ? 1 : 0]} ${l.n}`;
  const v = lit(l.value, s % 5 === 0);
  // Sometimes write the literal first: `20 <= price`.
  if (s % 7 === 3 && MIRROR[l.op] && !Array.isArray(l.value)) return `${v} ${SYM[MIRROR[l.op]][word ? 1 : 0]} ${factName(l.fact, s)}`;
  return `${factName(l.fact, s)} ${SYM[l.op][word ? 1 : 0]} ${v}`;
}

function expr(t: Tree, s: number): string {
  switch (t.t) {
    case 'all':
      return t.items.map((x, i) => `(${expr(x, s + i)})`).join(s % 2 ? ' and ' : ' && ');
    case 'any':
      return t.items.map((x, i) => `(${expr(x, s + i)})`).join(s % 2 ? ' or ' : ' || ');
    case 'not':
      return `${s % 2 ? 'not' : '!'} (${expr(t.item, s + 1)})`;
    case 'atLeast':
      return `atLeast(${t.k}, ${t.items.map((x, i) => expr(x, s + i)).join(', ')})`;
    default:
      return exprLeaf(t, s);
  }
}

function json(t: Tree, s: number): unknown {
  switch (t.t) {
    case 'all':
    case 'any':
      return { [t.t]: t.items.map((x, i) => json(x, s + i)) };
    case 'not':
      return { not: json(t.item, s + 1) };
    case 'atLeast':
      return { atLeast: t.k, of: t.items.map((x, i) => json(x, s + i)) };
    case 'cmp':
      return s % 4 === 0 ? exprLeaf(t, s) : { fact: factName(t.fact, s), op: s % 3 ? t.op : SYM[t.op][0], value: t.value };
    case 'exists':
      return s % 2 ? { fact: t.fact, op: 'exists' } : { fact: t.fact, op: 'ne', value: null };
    default:
      return exprLeaf(t, s);
  }
}

/** A list of OR-groups: cells may be any notation. */
function grid(t: Tree, s: number): unknown {
  const cell = (x: Tree, i: number): unknown => (i % 2 ? json(x, s + i) : expr(x, s + i));
  const row = (x: Tree, i: number): unknown => (x.t === 'any' ? x.items.map(cell) : [cell(x, i)]);
  if (t.t === 'all') return t.items.map(row);
  return [row(t, 0)];
}

// ---- reference model ----

type Facts = { a?: unknown; b?: unknown; m?: unknown; c?: unknown; posts: number; spend: number };

function read(f: string, x: Facts): unknown {
  const v = f === 'event.a' ? x.a : f === 'event.b' ? x.b : f === 'event.n.m' ? x.m : x.c;
  return v === undefined ? null : v;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  return a === b && a !== null;
}

function model(t: Tree, x: Facts): boolean {
  switch (t.t) {
    case 'all':
      return t.items.every((i) => model(i, x));
    case 'any':
      return t.items.some((i) => model(i, x));
    case 'not':
      return !model(t.item, x);
    case 'atLeast':
      return t.items.filter((i) => model(i, x)).length >= t.k;
    case 'exists':
      return read(t.fact, x) !== null;
    case 'agg': {
      const a = t.key.startsWith('count') ? x.posts : x.spend;
      return t.op === 'gte' ? a >= t.n : t.op === 'lt' ? a < t.n : a === t.n;
    }
  }
  const a = read(t.fact, x);
  const b = t.value;
  if (a === null) return false;
  const ordered = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  const list = b as Lit[];
  switch (t.op) {
    case 'eq':
      return same(a, b);
    case 'ne':
      return b !== null && !same(a, b);
    case 'gt':
      return ordered && (a as number) > (b as number);
    case 'gte':
      return ordered && (a as number) >= (b as number);
    case 'lt':
      return ordered && (a as number) < (b as number);
    case 'lte':
      return ordered && (a as number) <= (b as number);
    case 'in':
      return list.some((v) => same(a, v));
    case 'nin':
      return !list.some((v) => same(a, v));
    case 'contains':
      return typeof a === 'string' ? a.includes(b as string) : Array.isArray(a) && a.some((v) => same(v, b));
    default:
      return typeof a === 'string' && a.startsWith(b as string);
  }
}

const factValue = fc.option(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(null)), { nil: undefined });
const facts: fc.Arbitrary<Facts> = fc.record({
  a: factValue, b: factValue, m: factValue, c: factValue,
  posts: fc.integer({ min: 0, max: 6 }), spend: fc.integer({ min: 0, max: 6 }),
});

function context(x: Facts): FactContext {
  const props: Record<string, unknown> = {};
  if (x.a !== undefined) props.a = x.a;
  if (x.b !== undefined) props.b = x.b;
  if (x.m !== undefined) props.n = { m: x.m };
  return ctx({
    event: event(props),
    user: x.c === undefined ? {} : { c: x.c },
    aggregates: { "count('post.created')": x.posts, "sum('order.completed', 'amount')": x.spend },
  });
}

function compiled(source: unknown) {
  const out = compileCondition(source, 'p');
  if (!out.ok) throw new Error(`${JSON.stringify(source)}: ${JSON.stringify(out.issues)}`);
  return out.value;
}

describe('properties', () => {
  it('the three notations normalize to deep-equal forms and evaluate like the reference model', () => {
    fc.assert(
      fc.property(tree, fc.nat(1000), fc.array(facts, { minLength: 1, maxLength: 5 }), (t, seed, samples) => {
        const e = compiled(expr(t, seed));
        const j = compiled(json(t, seed + 1));
        const g = compiled(grid(t, seed + 2));
        expect(j.normalized).toEqual(e.normalized);
        expect(g.normalized).toEqual(e.normalized);
        for (const x of samples) {
          const c = context(x);
          const want = model(t, x);
          expect(e.evaluate(c)).toBe(want);
          expect(j.evaluate(c)).toBe(want);
          expect(g.evaluate(c)).toBe(want);
          expect(e.explain(c).result).toBe(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the normalized text compiles back to the same normalized form', () => {
    fc.assert(
      fc.property(tree, fc.nat(1000), (t, seed) => {
        const c = compiled(expr(t, seed));
        expect(compiled(c.text).normalized).toEqual(c.normalized);
        expect(JSON.parse(JSON.stringify(c.normalized))).toEqual(c.normalized);
      }),
      { numRuns: 300 },
    );
  });

  it('compileCondition never throws, whatever JSON it gets', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (x) => {
        const out = compileCondition(x, 'p');
        if (!out.ok) for (const i of out.issues) expect(i.message).not.toMatch(/internal error/);
      }),
      { numRuns: 500 },
    );
  });

  const TOKENS = ['(', ')', 'event.a', 'a', 'user.c', '==', '>=', 'eq', '1', '-2.5', "'x'", '"y"', '&&', '||', 'and', 'not', '!', 'in', '[', ']', ',',
    "count('t'", "sum('t', 'p'", 'atLeast(', 'exists(', 'now()', 'daysSince(', 'monthDay(', '+', '*', '/', '-', 'true', 'null', 'contains', 'startsWith', 'foo(', '.'];

  it('compileCondition never throws on random strings or token soup; what compiles evaluates without throwing', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((ts) => ts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string(), soup), facts, (src, x) => {
        const out = compileCondition(src, 'p');
        if (!out.ok) {
          for (const i of out.issues) {
            expect(i.message).not.toMatch(/internal error/);
            expect(i.position === undefined || (i.position >= 0 && i.position <= src.length)).toBe(true);
          }
          return;
        }
        const c = context(x);
        expect(typeof out.value.evaluate(c)).toBe('boolean');
        out.value.explain(c);
        expect(compiled(out.value.text).normalized).toEqual(out.value.normalized);
      }),
      { numRuns: 800 },
    );
  });

  /** Well-formed but freely typed expressions: reach the type checks, arithmetic and time functions. */
  const { wcond } = fc.letrec<{ wval: string; wcond: string }>((tie) => ({
    wval: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('event.a', 'b', 'user.c', 'event.n.m', 'journey.entries', 'journey.enteredAt', 'event.occurredAt', '1', '-2', '0', "'x'", "'2026-11-20'", "'2026-11-21T09:00:00Z'", 'true', 'null', 'now()', "count('post.created')", "sum('order.completed', 'amount')", "avg('o', 'x')", '[1, 2]', "['a']"),
      fc.tuple(tie('wval'), fc.constantFrom('+', '-', '*', '/'), tie('wval')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(fc.constantFrom('daysSince', 'monthDay', 'now', 'bogus', 'count'), fc.array(tie('wval'), { maxLength: 2 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    ),
    wcond: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(tie('wval'), fc.constantFrom('==', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'contains', 'startsWith'), tie('wval')).map(([a, o, b]) => `${a} ${o} ${b}`),
      tie('wval'),
      fc.tuple(tie('wcond'), fc.constantFrom('&&', '||'), tie('wcond')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      tie('wcond').map((c) => `!(${c})`),
      fc.array(tie('wcond'), { minLength: 1, maxLength: 3 }).map((cs) => `atLeast(${cs.length}, ${cs.join(', ')})`),
      tie('wval').map((v) => `exists(${v})`),
    ),
  }));

  it('well-formed expressions of any types: compile or report positioned issues, and what compiles evaluates', () => {
    fc.assert(
      fc.property(wcond, facts, fc.constantFrom(undefined, 'Asia/Shanghai'), (src, x, timezone) => {
        const out = compileCondition(src, 'p');
        if (!out.ok) {
          for (const i of out.issues) {
            expect(i.message).not.toMatch(/internal error|unexpected character|unterminated/);
            expect(i.position).toBeGreaterThanOrEqual(0);
          }
          return;
        }
        const c = { ...context(x), timezone };
        expect(typeof out.value.evaluate(c)).toBe('boolean');
        expect(out.value.explain(c).result).toBe(out.value.evaluate(c));
        expect(compiled(out.value.text).normalized).toEqual(out.value.normalized);
      }),
      { numRuns: 600 },
    );
  });

  it('evaluation never throws on random facts', () => {
    const sources = [
      "event.a == 1 && (user.c in [1, 'x'] || event.b contains 'a')",
      "event.n.m > 2 || event.a startsWith 'q' || exists(user.c.d)",
      'daysSince(event.a) > 3 || monthDay(user.c) == monthDay(now())',
      "event.a + event.b * 2 >= now() - 5 || event.a < '2026-01-01'",
      "atLeast(2, sum('o', 'amount') >= 20, count('p', event.a == 1) > 1, avg('o', 'x') < 3)",
      'event.a != event.b && event.a not in [null, true]',
    ].map(compiled);
    const weird = fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true, withBoxedValues: true });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), weird), fc.dictionary(fc.string(), weird), weird, fc.integer(), fc.constantFrom(undefined, 'UTC', 'Asia/Shanghai', 'Nope/Zone'), (props, user, agg, now, timezone) => {
        const c: FactContext = {
          event: { id: 'i', type: 't', occurredAt: 'x', properties: { ...props, a: props.a, b: props.b } },
          user,
          journey: { enteredAt: null, stateEnteredAt: null, entries: 0 },
          now,
          timezone,
          aggregate: () => agg,
        };
        for (const s of sources) {
          expect(typeof s.evaluate(c)).toBe('boolean');
          s.explain(c);
        }
      }),
      { numRuns: 300 },
    );
  });
});
