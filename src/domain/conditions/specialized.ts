/**
 * Fast paths for the most common leaf: a value compared with a literal
 * (`event.price >= 20`, `user.tier in ['gold']`, `event.tags contains 'gift'`).
 * Which operator and what kind of literal are known at compile time, so each
 * case becomes a closure doing only the test that case needs, with no
 * per-evaluation allocation. Each one computes exactly what the generic
 * comparison in evaluate.ts computes for that shape (properties.test.ts
 * checks the two against each other on arbitrary values); the reasoning for
 * each shortcut is beside it. Anything else gets `null`: the generic path.
 */
import type { Literal, Val } from './ast';
import { equals, memberOf, order, type Known } from './compare';
import { isoToEpoch, parseIso } from './dates';
import type { CmpOp } from './syntax';
import type { FactContext } from './types';

type Read = (ctx: FactContext) => unknown;
type Test = (ctx: FactContext) => boolean;

/**
 * The literal's kind decides the shortcut:
 * - `plain`: a string that is not an ISO date. Against it only an identical
 *   string is equal, and only strings order (code-unit order), because
 *   a number meets a string only when the string is a date.
 * - `stamp`: a UTC timestamp `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm`); see `stampOrder`.
 * - `number`, `boolean`; other ISO forms (offsets, wall-clock dates) take the generic path.
 */
type LiteralKind = 'number' | 'boolean' | 'plain' | 'stamp' | 'other';

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function kindOf(lit: Literal): LiteralKind {
  if (typeof lit === 'number') return 'number';
  if (typeof lit === 'boolean') return 'boolean';
  if (typeof lit !== 'string') return 'other';
  const iso = parseIso(lit);
  if (iso === null) return 'plain';
  return STAMP.test(lit) ? 'stamp' : 'other';
}

/**
 * A string `x` of the literal stamp's length with `T` at 10 and `Z` at its end
 * is, if it parses as ISO at all, in exactly the stamp's format (no other ISO
 * form of that length ends in `Z`; see dates.ts). Two valid stamps of one
 * format order as instants exactly as they order as strings (fixed-width
 * zero-padded fields, UTC), and an invalid one is compared as a string by
 * the generic path anyway. So for such `x` the string order is the answer.
 */
function sameStampShape(x: string, length: number): boolean {
  return x.length === length && x.charCodeAt(10) === 84 /* T */ && x.charCodeAt(length - 1) === 90 /* Z */;
}

const ORDER_TESTS: Record<'gt' | 'gte' | 'lt' | 'lte', (o: number) => boolean> = {
  gt: (o) => o > 0,
  gte: (o) => o >= 0,
  lt: (o) => o < 0,
  lte: (o) => o <= 0,
};

/** A comparison of `read`'s value with the literal `right`; null when no fast path applies. */
export function literalComparison(op: CmpOp, read: Read, right: Val): Test | null {
  if ('list' in right) return op === 'in' || op === 'nin' ? membership(op, read, right.list) : null;
  if (!('lit' in right) || right.lit === null) return null;
  const lit = right.lit;
  const kind = kindOf(lit);
  if (kind === 'other') return null;
  const known: Known = { value: lit, iso: typeof lit === 'string' ? parseIso(lit) : null };
  // The generic answer, for the rare values the shortcut does not decide (an ISO string meeting a number ...).
  const slowOrder = (x: unknown, tz: string | undefined): number | null => order({ value: x }, known, tz);
  const slowEquals = (x: unknown, tz: string | undefined): boolean => equals({ value: x }, known, tz);
  switch (op) {
    case 'eq':
    case 'ne': {
      const eq = equality(kind, lit, slowEquals);
      if (op === 'eq') return (ctx) => eq(read(ctx), ctx.timezone);
      // null compares false both ways: `x != 5` does not hold for a missing x.
      return (ctx) => {
        const x = read(ctx);
        return x !== null && !eq(x, ctx.timezone);
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return ordering(op, kind, lit, read, slowOrder);
    case 'contains':
      // A plain-string needle: in a string, a substring; in a list, an element that is that very string
      // (a number or boolean element never equals a non-date string). Anything else: false.
      if (kind !== 'plain') return null;
      return (ctx) => {
        const h = read(ctx);
        return typeof h === 'string' ? h.includes(lit as string) : Array.isArray(h) && h.includes(lit);
      };
    case 'startsWith':
      if (typeof lit !== 'string') return null;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'string' && x.startsWith(lit);
      };
    default:
      return null;
  }
}

type Equality = (x: unknown, tz: string | undefined) => boolean;

function equality(kind: LiteralKind, lit: Literal, slow: Equality): Equality {
  switch (kind) {
    case 'plain':
    case 'boolean':
      // Only the identical string (or the same boolean) is equal; === is exactly that.
      return (x) => x === lit;
    case 'number':
      // Numbers: x - lit === 0, which for a finite lit is x === lit (NaN and ±Infinity are never equal).
      // A string is equal only as an ISO date at that epoch: the generic path decides.
      return (x, tz) => (typeof x === 'number' ? x === lit : typeof x === 'string' ? slow(x, tz) : false);
    default: {
      // A stamp: the same string is equal; a string of the same shape is a different instant or no
      // date at all (see sameStampShape); a number is equal at the stamp's epoch.
      const s = lit as string;
      const epoch = isoToEpoch(parseIso(s)!, undefined);
      return (x, tz) => {
        if (typeof x === 'string') return x === s || (!sameStampShape(x, s.length) && slow(x, tz));
        return typeof x === 'number' && x === epoch;
      };
    }
  }
}

function ordering(op: 'gt' | 'gte' | 'lt' | 'lte', kind: LiteralKind, lit: Literal, read: Read, slow: (x: unknown, tz: string | undefined) => number | null): Test | null {
  const test = ORDER_TESTS[op];
  const slowTest = (x: unknown, tz: string | undefined): boolean => {
    const o = slow(x, tz);
    return o !== null && test(o);
  };
  if (kind === 'number') {
    // number vs number is x - lit, whose sign for a finite lit is the comparison's (NaN: false);
    // a string orders against a number only as an ISO date: the generic path decides.
    const n = lit as number;
    const num = NUMBER_ORDER[op];
    return (ctx) => {
      const x = read(ctx);
      return typeof x === 'number' ? num(x, n) : typeof x === 'string' && slowTest(x, ctx.timezone);
    };
  }
  if (kind === 'plain') {
    // A non-date string orders only against strings, in code-unit order (a number never orders against it).
    const s = lit as string;
    const str = STRING_ORDER[op];
    return (ctx) => {
      const x = read(ctx);
      return typeof x === 'string' && str(x, s);
    };
  }
  if (kind === 'stamp') {
    const s = lit as string;
    const epoch = isoToEpoch(parseIso(s)!, undefined);
    const num = NUMBER_ORDER[op];
    const str = STRING_ORDER[op];
    return (ctx) => {
      const x = read(ctx);
      if (typeof x === 'string') return sameStampShape(x, s.length) ? str(x, s) : slowTest(x, ctx.timezone);
      // A number is epoch ms: x - epoch (NaN: false).
      return typeof x === 'number' && num(x, epoch);
    };
  }
  return null;
}

const NUMBER_ORDER: Record<'gt' | 'gte' | 'lt' | 'lte', (x: number, y: number) => boolean> = {
  gt: (x, y) => x > y,
  gte: (x, y) => x >= y,
  lt: (x, y) => x < y,
  lte: (x, y) => x <= y,
};
const STRING_ORDER: Record<'gt' | 'gte' | 'lt' | 'lte', (x: string, y: string) => boolean> = {
  gt: (x, y) => x > y,
  gte: (x, y) => x >= y,
  lt: (x, y) => x < y,
  lte: (x, y) => x <= y,
};

/**
 * `x in [..]` / `x not in [..]` with a list of literals, none null and none an
 * ISO date: an element equals x only when it is x itself (=== on strings,
 * booleans, and numbers with x - el === 0), except that a string x may equal
 * a number element as an ISO date: with numbers in the list, a string x takes
 * the generic path.
 */
function membership(op: 'in' | 'nin', read: Read, items: Val[]): Test | null {
  const values: Literal[] = [];
  for (const v of items) {
    if (!('lit' in v) || v.lit === null || (typeof v.lit === 'string' && parseIso(v.lit) !== null)) return null;
    values.push(v.lit);
  }
  const hasNumber = values.some((v) => typeof v === 'number');
  const isMember = (x: unknown, tz: string | undefined): boolean =>
    typeof x === 'string' && hasNumber ? memberOf({ value: x }, values, tz) : values.includes(x as Literal);
  if (op === 'in') return (ctx) => isMember(read(ctx), ctx.timezone);
  return (ctx) => {
    const x = read(ctx);
    return x !== null && !isMember(x, ctx.timezone);
  };
}
