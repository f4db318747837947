import fc from 'fast-check';
import { compileCondition, conditionText, type NormalizedCondition } from '../conditions';
import { holds } from '../conditions/test-support';
import { gridCellOf, gridFromSource, gridOfLenient, gridRead, gridToSource, withNewRow, type ConditionGrid, type ConditionRow } from './condition-grid';

const normalized = (source: unknown) => {
  const compiled = compileCondition(source, 'c');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return compiled.value.normalized as NormalizedCondition;
};

function grid(source: unknown): ConditionGrid {
  const result = gridFromSource(source);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const SEED = [["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 10"]];

describe('the condition builder grid', () => {
  it("reads the seed's 2-D array as two rows, and writes it back as it was", () => {
    const g = grid(SEED);
    expect(g).toEqual({ rows: [{ items: SEED[0] }, { items: SEED[1] }] });
    expect(gridToSource(g)).toEqual(SEED);
  });

  it('opens the same condition written as an expression into the same grid', () => {
    expect(grid("(sum('order.completed', 'amount') >= 20 || count('order.completed') >= 5) && count('post.created') >= 10")).toEqual(grid(SEED));
  });

  it('keeps "at least k of" on a row and over the rows', () => {
    const anyThreeOfFive = { atLeast: 3, of: ['event.a == 1', 'event.b == 2', 'event.c == 3', 'event.d == 4', 'event.e == 5'] };
    expect(grid(anyThreeOfFive)).toEqual({ rows: [{ atLeast: 3, items: anyThreeOfFive.of }] });
    const g: ConditionGrid = { atLeast: 2, rows: [{ items: ['event.a == 1', 'event.b == 2'] }, { items: ['event.c == 3'] }, { atLeast: 1, items: ['event.d == 4'] }] };
    expect(gridToSource(g)).toEqual({ atLeast: 2, of: [{ any: ['event.a == 1', 'event.b == 2'] }, 'event.c == 3', { atLeast: 1, of: ['event.d == 4'] }] });
    expect(grid(gridToSource(g))).toEqual(g);
  });

  it('writes a lone alternative as plain text', () => {
    expect(gridToSource({ rows: [{ items: ['event.amount > 0'] }] })).toBe('event.amount > 0');
  });

  it("refuses what the compiler refuses, with the compiler's paths", () => {
    const result = gridFromSource([['event.a ==']], 'states.s.transitions[0].when');
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['states.s.transitions[0].when[0][0]']);
  });

  it('maps an issue inside the written condition back to its cell', () => {
    const g: ConditionGrid = { rows: [{ items: ['event.a == 1', "count('x') >= 'ten'"] }, { atLeast: 1, items: ['event.b == 2', 'event.c == 3'] }] };
    const compiled = compileCondition(gridToSource(g), '');
    expect(compiled.ok).toBe(false);
    const issue = compiled.ok ? undefined : compiled.issues[0];
    expect(gridCellOf(g, issue?.path ?? '')).toEqual({ row: 0, item: 1 });
    expect(gridCellOf(g, '[1].of[1]')).toEqual({ row: 1, item: 1 });
    expect(gridCellOf(g, '[1].atLeast')).toEqual({ row: 1, item: null });
    const top: ConditionGrid = { atLeast: 1, rows: [{ items: ['event.a == 1', 'event.b == 2'] }, { items: ['event.c == 3'] }] };
    expect(gridCellOf(top, 'of[0].any[1]')).toEqual({ row: 0, item: 1 });
    expect(gridCellOf(top, 'of[1]')).toEqual({ row: 1, item: 0 });
  });

  // Single comparisons, in the compiler's own spelling (conditionText of their normal form).
  const leaf = fc
    .tuple(
      fc.constantFrom('event.amount', "sum('order.completed', 'amount')", "count('post.created')", 'user.level', 'journey.entries'),
      fc.constantFrom('>=', '<', '==', '!='),
      fc.integer({ min: 0, max: 100 }),
    )
    .map(([fact, op, n]) => conditionText(normalized(`${fact} ${op} ${n}`)));
  const row: fc.Arbitrary<ConditionRow> = fc
    .tuple(fc.uniqueArray(leaf, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([items, k]) => (k === undefined ? { items } : { items, atLeast: 1 + (k % items.length) }));
  const anyGrid: fc.Arbitrary<ConditionGrid> = fc
    .tuple(fc.array(row, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([rows, k]) => (k === undefined ? { rows } : { rows, atLeast: 1 + (k % rows.length) }));

  /** The one grid of each meaning gridFromSource answers with: a top-level k over lone alternatives is one row with that k. */
  const canonical = (g: ConditionGrid): ConditionGrid =>
    g.atLeast !== undefined && g.rows.every((r) => r.items.length === 1 && r.atLeast === undefined)
      ? { rows: [{ items: g.rows.map((r) => r.items[0]), atLeast: g.atLeast }] }
      : g;

  it('property: grid → compiler notation → grid round-trips (to the canonical grid)', () => {
    fc.assert(
      fc.property(anyGrid, (g) => {
        expect(grid(gridToSource(g))).toEqual(canonical(g));
      }),
    );
  });

  it('property: notation → grid → notation keeps the meaning (the same normal form)', () => {
    fc.assert(
      fc.property(anyGrid, (g) => {
        const source = gridToSource(g);
        expect(normalized(gridToSource(grid(source)))).toEqual(normalized(source));
      }),
    );
  });

  describe('a new row asks nothing until it is filled in', () => {
    // review-52 finding 1: "(spend or 5 orders), 10 posts, 3 reviews: at least 2 of them".
    const atLeastTwoRows = { atLeast: 2, of: [{ any: ["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"] }, "count('post.created') >= 10", "count('review.posted') >= 3"] };

    it('is `false` under "at least k of the rows", keeping the k', () => {
      const g = grid(atLeastTwoRows);
      expect(g.atLeast).toBe(2);
      expect(gridToSource(withNewRow(g))).toEqual({ ...atLeastTwoRows, of: [...atLeastTwoRows.of, 'false'] });
    });

    it('is `true` when every row must hold, and for a condition not yet written', () => {
      expect(gridToSource(withNewRow(grid(SEED)))).toEqual([...SEED, ['true']]);
      expect(withNewRow({ rows: [] })).toEqual({ rows: [{ items: ['true'] }] });
    });

    it('is `false` as the first row of a condition that must be there (a `when`): `true` would move everyone on at once', () => {
      expect(withNewRow({ rows: [] }, { required: true })).toEqual({ rows: [{ items: ['false'] }] });
      // Past the first row it is the neutral one again.
      expect(gridToSource(withNewRow(grid(SEED), { required: true }))).toEqual([...SEED, ['true']]);
    });

    const FACTS = ['a', 'b', 'c', 'd'] as const;
    const fact = fc.constantFrom(...FACTS.map((f) => `event.${f} == true`));
    const boolRow: fc.Arbitrary<ConditionRow> = fc
      .tuple(fc.uniqueArray(fact, { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }))
      .map(([items, k]) => (k === undefined ? { items } : { items, atLeast: 1 + (k % items.length) }));
    const boolGrid: fc.Arbitrary<ConditionGrid> = fc
      .tuple(fc.array(boolRow, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(), { nil: undefined }))
      .map(([rows, k]) => (k === undefined ? { rows } : { rows, atLeast: 1 + (k % rows.length) }));
    const assignments = Array.from({ length: 16 }, (_, n) => Object.fromEntries(FACTS.map((f, i) => [f, ((n >> i) & 1) === 1])));

    it('property: the condition with a new row holds for exactly the users it held for', () => {
      fc.assert(
        fc.property(boolGrid, (g) => {
          // As the builder opens it: the condition read back into rows, then a row added.
          const source = gridToSource(g);
          const widened = gridToSource(withNewRow(grid(source)));
          for (const facts of assignments) expect([facts, holds(widened, facts)]).toEqual([facts, holds(source, facts)]);
        }),
      );
    });
  });

  describe('a condition that does not compile yet', () => {
    it('keeps its rows, the typo in its own cell, and writes them back as they were', () => {
      const typed = [["count('order.completed') >= 5"], ["count('post.created') >"]];
      expect(gridOfLenient([['a >= 1'], ['b >']])).toEqual({ rows: [{ items: ['a >= 1'] }, { items: ['b >'] }] });
      const read = gridRead(typed);
      expect(read).toEqual({ editable: true, grid: { rows: [{ items: typed[0] }, { items: typed[1] }] } });
      expect(gridToSource(read.grid)).toEqual(typed);
      // An edit of the typo's cell changes that cell only: the condition stays an array, never one string of JSON.
      const fixed = { rows: [read.grid.rows[0], { items: ["count('post.created') > 1"] }] };
      expect(gridToSource(fixed)).toEqual([["count('order.completed') >= 5"], ["count('post.created') > 1"]]);
    });

    it('reads the other grid-like shapes cell by cell', () => {
      expect(gridOfLenient({ all: ['a >', ['b', 'c >']] })).toEqual({ rows: [{ items: ['a >'] }, { items: ['b', 'c >'] }] });
      expect(gridOfLenient({ any: ['a >', 'b'] })).toEqual({ rows: [{ items: ['a >', 'b'] }] });
      expect(gridOfLenient({ atLeast: 2, of: ['a >', 'b', 'c'] })).toEqual({ rows: [{ items: ['a >', 'b', 'c'], atLeast: 2 }] });
      expect(gridOfLenient({ atLeast: 1, of: [['a >'], { atLeast: 1, of: ['b', 'c'] }] })).toEqual({ atLeast: 1, rows: [{ items: ['a >'] }, { items: ['b', 'c'], atLeast: 1 }] });
      expect(gridOfLenient([['a'], { any: ['b >', 'c'] }])).toEqual({ rows: [{ items: ['a'] }, { items: ['b >', 'c'] }] });
      // A nested condition that compiles is a cell of its text, as the compiler prints it.
      expect(gridOfLenient([[{ fact: 'event.amount', op: '>=', value: 20 }], ['b >']])?.rows[0].items).toEqual([conditionText(normalized({ fact: 'event.amount', op: '>=', value: 20 }))]);
      expect(gridOfLenient('a >')).toEqual({ rows: [{ items: ['a >'] }] });
    });

    it('a shape that is no grid is shown as JSON, not editable (never stored as an expression string)', () => {
      for (const source of [{ all: [{ fact: 'event.amount', op: '≈', value: 1 }] }, { foo: 1 }, 42, [[]], [[null]]]) {
        expect(gridOfLenient(source)).toBeNull();
        expect(gridRead(source as never)).toEqual({ editable: false, grid: { rows: [{ items: [JSON.stringify(source)] }] } });
      }
      expect(gridRead(undefined)).toEqual({ editable: true, grid: { rows: [] } });
      expect(gridRead(SEED).grid).toEqual(grid(SEED));
    });
  });
});
