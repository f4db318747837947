/**
 * Fast paths for the most common leaf: a value compared with a literal
 * (`event.price >= 20`, `user.tier in ['gold']`, `event.tags contains 'gift'`).
 * Which operator, what kind of literal and where the value comes from are
 * known at compile time, so each case becomes one closure doing only the test
 * that case needs: no per-evaluation allocation, no further closure call for
 * a one-key event property or user attribute. Each computes exactly what the
 * generic comparison in evaluate.ts computes for that shape (fast-paths.test.ts
 * holds the two to each other on arbitrary values); the reasoning for each
 * shortcut is beside it. Anything else gets `null`: the generic path.
 */
import type { Literal, Val } from './ast';
import { equals, memberOf, order, type Known } from './compare';
import { isoToEpoch, parseIso } from './dates';
import { factReader, own, plainKey } from './facts';
import type { CmpOp } from './syntax';
import type { FactContext } from './types';

type Read = (ctx: FactContext) => unknown;
type Test = (ctx: FactContext) => boolean;

// ---- where the value comes from ----

const EVENT = 1;
const USER = 2;
const OTHER = 3;

/** A one-key event property or user attribute is read inline; anything else through its compiled reader. */
interface Source {
  at: typeof EVENT | typeof USER | typeof OTHER;
  key: string;
  /** `plainKey(key)`, decided once. */
  plain: boolean;
  read: Read;
}

function source(left: Val, compile: (v: Val) => Read): Source {
  if ('fact' in left) {
    const [root, key, ...rest] = left.fact.split('.');
    // Only `event.<property>` (not the event's own type/id/occurredAt) and `user.<attribute>`.
    const own = rest.length === 0 && (root === 'user' || (root === 'event' && key !== 'type' && key !== 'id' && key !== 'occurredAt'));
    if (own) return { at: root === 'user' ? USER : EVENT, key, plain: plainKey(key), read: factReader(left.fact) };
  }
  return { at: OTHER, key: '', plain: false, read: compile(left) };
}

/** Inlined into each leaf: the same value `factReader` gives, without a call for the common facts. */
function load(ctx: FactContext, at: number, key: string, plain: boolean, read: Read): unknown {
  if (at === EVENT) {
    const e = ctx.event;
    return e === null || e === undefined ? null : own(e.properties, key, plain);
  }
  if (at === USER) return own(ctx.user, key, plain);
  return read(ctx);
}

// ---- what the literal is ----

/**
 * - `plain`: a string that is not an ISO date. Against it only an identical
 *   string is equal, and only strings order (code-unit order): a number meets
 *   a string only when the string is a date.
 * - `stamp`: a UTC timestamp `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm`); see `sameStampShape`.
 * - `number`, `boolean`; other ISO forms (offsets, wall-clock dates) take the generic path.
 */
type LiteralKind = 'number' | 'boolean' | 'plain' | 'stamp' | 'other';

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function kindOf(lit: Literal): LiteralKind {
  if (typeof lit === 'number') return 'number';
  if (typeof lit === 'boolean') return 'boolean';
  if (typeof lit !== 'string') return 'other';
  if (parseIso(lit) === null) return 'plain';
  return STAMP.test(lit) ? 'stamp' : 'other';
}

/**
 * A string of the stamp's length with `T` at 10 and `Z` at its end is, if it
 * parses as ISO at all, in exactly the stamp's format: no other ISO form of
 * length 20 or 24 ends in `Z` (dates.ts). Two valid stamps of one format order
 * as instants exactly as they order as strings (fixed-width zero-padded fields,
 * one zone), and differ as instants when they differ as strings; an invalid one
 * is compared as a string by the generic path too. So the string order decides.
 */
function sameStampShape(x: string, length: number): boolean {
  return x.length === length && x.charCodeAt(10) === 84 /* T */ && x.charCodeAt(length - 1) === 90 /* Z */;
}

// ---- the comparisons ----

const GT = 1;
const GTE = 2;
const LT = 3;
const LTE = 4;
const ORDER_CODE = { gt: GT, gte: GTE, lt: LT, lte: LTE } as const;

/** `x - y` tested against 0 has the sign of the comparison for numbers when y is finite (NaN: false). */
function numberHolds(op: number, x: number, y: number): boolean {
  return op === GT ? x > y : op === GTE ? x >= y : op === LT ? x < y : x <= y;
}

/** Code-unit order, as compare.ts orders two strings that are not both dates. */
function stringHolds(op: number, x: string, y: string): boolean {
  return op === GT ? x > y : op === GTE ? x >= y : op === LT ? x < y : x <= y;
}

function orderHolds(op: number, o: number | null): boolean {
  return o !== null && (op === GT ? o > 0 : op === GTE ? o >= 0 : op === LT ? o < 0 : o <= 0);
}

/** A comparison of `left` with the literal `right`; null when no fast path applies. */
export function literalComparison(op: CmpOp, left: Val, right: Val, compile: (v: Val) => Read): Test | null {
  if ('list' in right) return op === 'in' || op === 'nin' ? membership(op, source(left, compile), right.list) : null;
  if (!('lit' in right) || right.lit === null) return null;
  const lit = right.lit;
  const kind = kindOf(lit);
  if (kind === 'other') return null;
  const { at, key, plain, read } = source(left, compile);
  // The generic answers, for the values a shortcut does not decide (an ISO string meeting a number ...).
  const known: Known = { value: lit, iso: typeof lit === 'string' ? parseIso(lit) : null };
  const slowEquals = (x: unknown, tz: string | undefined): boolean => equals({ value: x }, known, tz);
  const slowOrder = (x: unknown, tz: string | undefined): number | null => order({ value: x }, known, tz);

  switch (op) {
    case 'eq':
    case 'ne': {
      const eq = op === 'eq';
      if (kind === 'plain' || kind === 'boolean') {
        // Only the identical string (or the same boolean) is equal: === is exactly that.
        // `!=`: null compares false both ways, so a missing x is not "different".
        return eq ? (ctx) => load(ctx, at, key, plain, read) === lit : (ctx) => {
          const x = load(ctx, at, key, plain, read);
          return x !== null && x !== lit;
        };
      }
      if (kind === 'number') {
        // A finite lit: x - lit === 0 is x === lit. A string equals a number only as an ISO date at that epoch.
        const n = lit as number;
        return (ctx) => {
          const x = load(ctx, at, key, plain, read);
          if (x === null) return false;
          const same = typeof x === 'number' ? x === n : typeof x === 'string' && slowEquals(x, ctx.timezone);
          return same === eq;
        };
      }
      // A stamp: the same string is equal; another string of its shape is another instant (or no
      // date); a number is equal at the stamp's epoch.
      const s = lit as string;
      const epoch = isoToEpoch(parseIso(s)!, undefined);
      return (ctx) => {
        const x = load(ctx, at, key, plain, read);
        if (x === null) return false;
        const same = typeof x === 'string' ? x === s || (!sameStampShape(x, s.length) && slowEquals(x, ctx.timezone)) : typeof x === 'number' && x === epoch;
        return same === eq;
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const code = ORDER_CODE[op];
      if (kind === 'number') {
        // A string orders against a number only as an ISO date: the generic path decides.
        const n = lit as number;
        return (ctx) => {
          const x = load(ctx, at, key, plain, read);
          return typeof x === 'number' ? numberHolds(code, x, n) : typeof x === 'string' && orderHolds(code, slowOrder(x, ctx.timezone));
        };
      }
      if (kind === 'plain') {
        // A non-date string orders only against strings (a number never orders against it).
        const s = lit as string;
        return (ctx) => {
          const x = load(ctx, at, key, plain, read);
          return typeof x === 'string' && stringHolds(code, x, s);
        };
      }
      if (kind === 'stamp') {
        const s = lit as string;
        const epoch = isoToEpoch(parseIso(s)!, undefined);
        return (ctx) => {
          const x = load(ctx, at, key, plain, read);
          if (typeof x === 'string') return sameStampShape(x, s.length) ? stringHolds(code, x, s) : orderHolds(code, slowOrder(x, ctx.timezone));
          // A number is epoch ms.
          return typeof x === 'number' && numberHolds(code, x, epoch);
        };
      }
      return null;
    }
    case 'contains': {
      // A non-date string needle: in a string, a substring; in a list, an element that is that very
      // string (a number or boolean element never equals a non-date string). Anything else: false.
      if (kind !== 'plain') return null;
      const s = lit as string;
      return (ctx) => {
        const h = load(ctx, at, key, plain, read);
        return typeof h === 'string' ? h.includes(s) : Array.isArray(h) && h.includes(s);
      };
    }
    case 'startsWith': {
      if (typeof lit !== 'string') return null;
      return (ctx) => {
        const x = load(ctx, at, key, plain, read);
        return typeof x === 'string' && x.startsWith(lit);
      };
    }
    default:
      return null;
  }
}

/**
 * `x in [..]` / `x not in [..]` with a list of literals, none null and none an
 * ISO date: an element equals x only when it is x itself (=== on strings and
 * booleans; numbers: x - el === 0, which `includes` matches, -0 and 0 alike),
 * except that a string x may equal a number element as an ISO date: with
 * numbers in the list, a string x takes the generic path.
 */
function membership(op: 'in' | 'nin', src: Source, items: Val[]): Test | null {
  const values: Literal[] = [];
  for (const v of items) {
    if (!('lit' in v) || v.lit === null || (typeof v.lit === 'string' && parseIso(v.lit) !== null)) return null;
    values.push(v.lit);
  }
  const hasNumber = values.some((v) => typeof v === 'number');
  const { at, key, plain, read } = src;
  const isIn = op === 'in';
  return (ctx) => {
    const x = load(ctx, at, key, plain, read);
    // `not in`: null compares false both ways, as for `!=`.
    if (x === null) return false;
    const member = typeof x === 'string' && hasNumber ? memberOf({ value: x }, values, ctx.timezone) : values.includes(x as Literal);
    return member === isIn;
  };
}
