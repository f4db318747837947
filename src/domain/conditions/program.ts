/**
 * The evaluator. A compiled condition is a tree of `Step`s that one function
 * runs (`holds`), rather than a tree of closures calling each other: closures
 * built from one function literal share their optimised code, so every
 * `all`/`any` called its children through a megamorphic call site, one call
 * per leaf. A step is plain data of one class (every field always set, so one
 * hidden class and monomorphic field loads), and `op` says what to do.
 *
 * Composite steps run their children, short-circuiting like the closures did:
 * `all` stops at the first failing child, `any` at the first holding one,
 * `atLeast` as soon as k hold or k can no longer be reached. A CALL step runs
 * a closure (the generic comparison, `exists`, a constant). Every other op is
 * a fast-path leaf test (`testLeaf`): specialized.ts decides at compile time
 * which one a comparison is and fills in its fields.
 *
 * The ops are numeric constants of this module, used as literal `case`s so a
 * switch is a jump table (an imported constant is a property load per case).
 */
import { equals, memberOf, order, type Known } from './compare';
import type { FactContext } from './types';

export type Read = (ctx: FactContext) => unknown;
export type CondFn = (ctx: FactContext) => boolean;

// ---- composite ops and CALL (all below FIRST_TEST) ----
const ALL = 0;
const ANY = 1;
const NOT = 2;
const AT_LEAST = 3;
const CALL = 4;

// ---- leaf tests (specialized.ts): a value compared with a literal ----
/** Ops from here on are leaf tests. */
const FIRST_TEST = 8;
/** `x == lit` / `x != lit` for a non-date string or a boolean: identity. */
const SAME_EQ = 8;
const SAME_NE = 9;
const NUM_EQ = 10;
const NUM_NE = 11;
const STAMP_EQ = 12;
const STAMP_NE = 13;
const NUM_GT = 14;
const NUM_GTE = 15;
const NUM_LT = 16;
const NUM_LTE = 17;
const STR_GT = 18;
const STR_GTE = 19;
const STR_LT = 20;
const STR_LTE = 21;
const STAMP_GT = 22;
const STAMP_GTE = 23;
const STAMP_LT = 24;
const STAMP_LTE = 25;
const CONTAINS = 26;
const STARTS_WITH = 27;
const IN = 28;
const NIN = 29;

// ---- where a leaf's value comes from ----
/** `event.<property>`, read inline. */
const EVENT = 1;
/** `user.<attribute>`, read inline. */
const USER = 2;
/** Anything else: through `read`. */
const OTHER = 3;

// ---- the order a GT..LTE leaf asks for, for its slow path ----
const GT = 1;
const GTE = 2;
const LT = 3;
const LTE = 4;

/** The ops, sources and orders by name, for the compile-time side (specialized.ts, evaluate.ts). */
export const Op = { ALL, ANY, NOT, AT_LEAST, CALL, SAME_EQ, SAME_NE, NUM_EQ, NUM_NE, STAMP_EQ, STAMP_NE, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, STR_GT, STR_GTE, STR_LT, STR_LTE, STAMP_GT, STAMP_GTE, STAMP_LT, STAMP_LTE, CONTAINS, STARTS_WITH, IN, NIN } as const;
export const At = { EVENT, USER, OTHER } as const;
export const Order = { GT, GTE, LT, LTE } as const;

const never: CondFn = () => false;
const nothing: Read = () => null;
const noKnown: Known = { value: null, iso: null };
const noKids: Step[] = [];
const noValues: unknown[] = [];

export class Step {
  /** What to do: a composite op, CALL, or a leaf test. */
  op: number;
  /** ALL, ANY, AT_LEAST: the children; NOT: the one child. */
  kids: Step[] = noKids;
  /** AT_LEAST: how many children must hold. */
  k = 0;
  /** CALL: the closure that decides. */
  fn: CondFn = never;
  // ---- leaf tests ----
  /** EVENT, USER or OTHER. */
  at = OTHER;
  /** EVENT/USER: the one-key property name, and whether it is `plainKey` (decided once). */
  key = '';
  plain = false;
  /** OTHER: the compiled reader of the value. */
  read: Read = nothing;
  /** The literal, for identity tests. */
  lit: unknown = null;
  /** A string literal. */
  str = '';
  /** A number literal, or a stamp's epoch ms. */
  num = 0;
  /** GT..LTE, for the slow path of an order test. */
  cmp = 0;
  /** IN/NIN: the listed literals, and whether a number is among them. */
  values: unknown[] = noValues;
  mixed = false;
  /** The literal as compare.ts takes it (ISO-ness parsed once), for the answers a shortcut leaves to it. */
  known: Known = noKnown;

  constructor(op: number) {
    this.op = op;
  }
}

export function holds(s: Step, ctx: FactContext): boolean {
  switch (s.op) {
    case ALL: {
      const kids = s.kids;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i];
        if (!(c.op >= FIRST_TEST ? testLeaf(c, ctx) : holds(c, ctx))) return false;
      }
      return true;
    }
    case ANY: {
      const kids = s.kids;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i];
        if (c.op >= FIRST_TEST ? testLeaf(c, ctx) : holds(c, ctx)) return true;
      }
      return false;
    }
    case NOT: {
      const c = s.kids[0];
      return !(c.op >= FIRST_TEST ? testLeaf(c, ctx) : holds(c, ctx));
    }
    case AT_LEAST: {
      const kids = s.kids;
      const k = s.k;
      let hits = 0;
      for (let i = 0; i < kids.length; i++) {
        if (holds(kids[i], ctx) && ++hits >= k) return true;
        // Stop early once the remaining ones could not reach k.
        if (hits + (kids.length - i - 1) < k) return false;
      }
      return false;
    }
    case CALL:
      return s.fn(ctx);
    default:
      return testLeaf(s, ctx);
  }
}

export function callStep(fn: CondFn): Step {
  const s = new Step(CALL);
  s.fn = fn;
  return s;
}

export function compositeStep(op: typeof ALL | typeof ANY | typeof NOT | typeof AT_LEAST, kids: Step[], k = 0): Step {
  const s = new Step(op);
  s.kids = kids;
  s.k = k;
  return s;
}

/** The closure a node's `fn` (and a condition's `evaluate`) is: a CALL step's own closure, else the step run by `holds`. */
export function stepFn(s: Step): CondFn {
  if (s.op === CALL) return s.fn;
  if (s.op >= FIRST_TEST) return (ctx) => testLeaf(s, ctx);
  return (ctx) => holds(s, ctx);
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

// ---- running a leaf ----

/** Looked up once, not per read. */
const hasOwn = Object.prototype.hasOwnProperty;

/** The answers of compare.ts, for what a shortcut leaves to it. */
function slowEquals(s: Step, x: unknown, tz: string | undefined): boolean {
  return equals({ value: x }, s.known, tz);
}

function slowOrder(s: Step, x: unknown, tz: string | undefined): boolean {
  const o = order({ value: x }, s.known, tz);
  if (o === null) return false;
  const c = s.cmp;
  return c === GT ? o > 0 : c === GTE ? o >= 0 : c === LT ? o < 0 : o <= 0;
}

/**
 * Runs a leaf step. First the value, read as `factReader` reads it (facts.ts
 * `own`, inlined here): the own property `key` of a non-list object, null
 * when there is none or it is undefined; a name plain objects do not inherit
 * (`plain`) holding a non-function is taken without the hasOwnProperty lookup.
 *
 * A null value fails every leaf test: each compares with a non-null literal
 * (or list of them), and null compares false, `!=` and `not in` included.
 */
export function testLeaf(s: Step, ctx: FactContext): boolean {
  let x: unknown;
  const at = s.at;
  if (at === OTHER) {
    x = s.read(ctx);
  } else {
    let obj: unknown;
    if (at === EVENT) {
      const e = ctx.event;
      if (e === null || e === undefined) return false;
      obj = e.properties;
    } else {
      obj = ctx.user;
    }
    if (obj === null || typeof obj !== 'object') return false;
    const key = s.key;
    x = (obj as Record<string, unknown>)[key];
    // A list is never walked into (`tags.length` is null); asked only once something was found.
    if (x === undefined || Array.isArray(obj)) return false;
    if (!(s.plain && typeof x !== 'function') && !hasOwn.call(obj, key)) return false;
  }
  if (x === null) return false;
  switch (s.op) {
    // Only the identical string (or the same boolean) is equal: === is exactly that.
    case SAME_EQ:
      return x === s.lit;
    case SAME_NE:
      return x !== s.lit;
    // A finite literal: x - lit === 0 is x === lit. A string equals a number only as an ISO date at that epoch.
    case NUM_EQ:
      return typeof x === 'number' ? x === s.num : typeof x === 'string' && slowEquals(s, x, ctx.timezone);
    case NUM_NE:
      return !(typeof x === 'number' ? x === s.num : typeof x === 'string' && slowEquals(s, x, ctx.timezone));
    // A stamp: the same string is equal; another string of its shape is another instant (or no
    // date); a number is equal at the stamp's epoch.
    case STAMP_EQ:
      return sameAsStamp(s, x, ctx.timezone);
    case STAMP_NE:
      return !sameAsStamp(s, x, ctx.timezone);
    // Against a number literal, a string orders only as an ISO date: the generic path decides.
    case NUM_GT:
      return typeof x === 'number' ? x > s.num : typeof x === 'string' && slowOrder(s, x, ctx.timezone);
    case NUM_GTE:
      return typeof x === 'number' ? x >= s.num : typeof x === 'string' && slowOrder(s, x, ctx.timezone);
    case NUM_LT:
      return typeof x === 'number' ? x < s.num : typeof x === 'string' && slowOrder(s, x, ctx.timezone);
    case NUM_LTE:
      return typeof x === 'number' ? x <= s.num : typeof x === 'string' && slowOrder(s, x, ctx.timezone);
    // A non-date string orders only against strings, in code-unit order (a number never orders against it).
    case STR_GT:
      return typeof x === 'string' && x > s.str;
    case STR_GTE:
      return typeof x === 'string' && x >= s.str;
    case STR_LT:
      return typeof x === 'string' && x < s.str;
    case STR_LTE:
      return typeof x === 'string' && x <= s.str;
    // A stamp: a string of its shape orders as the string (see sameStampShape); a number is epoch ms.
    case STAMP_GT:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x > s.str : slowOrder(s, x, ctx.timezone);
      return typeof x === 'number' && x > s.num;
    case STAMP_GTE:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x >= s.str : slowOrder(s, x, ctx.timezone);
      return typeof x === 'number' && x >= s.num;
    case STAMP_LT:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x < s.str : slowOrder(s, x, ctx.timezone);
      return typeof x === 'number' && x < s.num;
    case STAMP_LTE:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x <= s.str : slowOrder(s, x, ctx.timezone);
      return typeof x === 'number' && x <= s.num;
    // A non-date string needle: in a string, a substring; in a list, an element that is that very
    // string (a number or boolean element never equals a non-date string). Anything else: false.
    case CONTAINS:
      return typeof x === 'string' ? x.includes(s.str) : Array.isArray(x) && x.includes(s.str);
    case STARTS_WITH:
      return typeof x === 'string' && x.startsWith(s.str);
    case IN:
      return isMember(s, x, ctx.timezone);
    case NIN:
      return !isMember(s, x, ctx.timezone);
    default:
      return false;
  }
}

function sameAsStamp(s: Step, x: unknown, tz: string | undefined): boolean {
  if (typeof x === 'string') return x === s.str || (!sameStampShape(x, s.str.length) && slowEquals(s, x, tz));
  return typeof x === 'number' && x === s.num;
}

function isMember(s: Step, x: unknown, tz: string | undefined): boolean {
  return typeof x === 'string' && s.mixed ? memberOf({ value: x }, s.values, tz) : s.values.includes(x);
}
