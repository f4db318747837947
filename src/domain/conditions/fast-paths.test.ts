/**
 * The fast paths of specialized.ts must answer exactly what the generic
 * comparison answers, for every operator and literal they take, on any value
 * a fact can hold: dates of every form, numbers meeting dates, NaN, lists,
 * objects, missing. Each leaf is compiled both ways and evaluated on the same
 * contexts.
 */
import fc from 'fast-check';
import type { Cond, Literal, Val } from './ast';
import { genericComparison } from './evaluate';
import { literalComparison } from './specialized';
import { compileVal } from './evaluate';
import { ctx, event } from './test-support';
import type { CmpOp } from './syntax';

const DATES = [
  '2026-11-27T00:00:00Z', '2026-11-27T00:00:00.000Z', '2026-11-27T00:00:00.001Z', '2026-11-26T23:59:59Z', '2026-11-27T08:00:00+08:00',
  '2026-11-27', '2026-11-27T00:00:00', '2026-02-30T00:00:00Z', '2026-11-27T24:00:00Z', '0099-01-01T00:00:00Z', '2026-11-27 00:00:00Z',
  '2026-11-27T00:00:00z', '2026-11-27T00:00:00.5Z', 'xxxx-xx-xxTxx:xx:xxZ',
];
const STRINGS = ['', 'a', 'ab', 'b', 'gift', 'sale', 'constructor', '1', '5'];
const NUMBERS = [0, -0, 1, 5, -3.5, 1e308, -1e308, Infinity, -Infinity, NaN, Date.UTC(2026, 10, 27), Date.UTC(2026, 10, 27) + 1];
const literal: fc.Arbitrary<Literal> = fc.oneof(fc.constantFrom(...DATES), fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS.filter(Number.isFinite)), fc.boolean());
const SCALARS: unknown[] = [...DATES, ...STRINGS, ...NUMBERS, true, false, null];
/** Every fact value each generated leaf is checked against: all scalars, missing, and some lists and objects. */
const VALUES: unknown[] = [...SCALARS, undefined, [], ['gift', 'sale'], [5, '2026-11-27T00:00:00Z'], [true, null], [[1]], {}, { a: 1 }, () => 1, Object.create({ x: 1 })];
const someLists = fc.array(fc.array(fc.constantFrom(...SCALARS), { maxLength: 4 }), { maxLength: 3 });
const OPS: CmpOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'startsWith'];
const FACTS = ['event.x', 'user.x', 'event.n.x', 'journey.entries', 'event.occurredAt'];

/** A context where every fact of FACTS holds `v` (or none does, for undefined). */
function contextWith(v: unknown, timezone: string | undefined) {
  const has = v !== undefined;
  return {
    ...ctx({ event: event(has ? { x: v, n: { x: v } } : {}, has && typeof v === 'string' ? { occurredAt: v } : {}), user: has ? { x: v } : {} }),
    journey: { enteredAt: null, stateEnteredAt: null, entries: typeof v === 'number' ? v : 0 },
    timezone,
  };
}

describe('fast paths', () => {
  it('answer exactly what the generic comparison answers', () => {
    let fast = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.constantFrom(...FACTS),
        fc.oneof(literal.map((lit): Val => ({ lit })), fc.array(literal, { minLength: 1, maxLength: 4 }).map((xs): Val => ({ list: xs.map((lit) => ({ lit })) }))),
        someLists,
        fc.constantFrom(undefined, 'Asia/Shanghai', 'America/New_York'),
        (op, fact, right, lists, timezone) => {
          const c: Cond = { op, left: { fact }, right };
          const aggs = () => 'k';
          const specialised = literalComparison(op, c.left, right, (v) => compileVal(v, aggs));
          if (specialised === null) return;
          fast++;
          const generic = genericComparison(c, aggs);
          for (const v of [...VALUES, ...lists]) {
            const context = contextWith(v, timezone);
            expect({ op, fact, right, v, got: specialised(context) }).toEqual({ op, fact, right, v, got: generic(context) });
          }
        },
      ),
      { numRuns: 1000 },
    );
    // Most generated shapes must actually take a fast path, or this test checks nothing.
    expect(fast).toBeGreaterThan(200);
  });
});
