/**
 * The evaluator. A compiled condition is a graph of leaf `Step`s, each
 * naming the step that comes next when it holds (`yes`) and when it does not
 * (`no`), ending at the terminal YES or NO step: `all(a, b)` is a test of a
 * whose yes is b and whose no is NO; `any` and `not` likewise, so the graph
 * visits exactly the leaves the short-circuiting tree would, in the same
 * order. `run` is one loop over it: no recursion, no closure call for a fast
 * leaf, and no step for a composite at all.
 *
 * Why not closures: closures built from one function literal share their
 * optimised code, so every `all`/`any` called its children through a
 * megamorphic call site, one call per leaf; and an interpreter walking a tree
 * loads the tree (node, child array, child) before each test. A step is plain
 * data of one class (every field always set, so one hidden class and
 * monomorphic field loads).
 *
 * A CALL step runs a closure (the generic comparison, `exists`, a constant,
 * an `atLeast`). Every other op is a fast-path leaf test (`testLeaf`):
 * specialized.ts decides at compile time which one a comparison is and fills
 * in its fields.
 */
import { equals, memberOf, order, type Known } from './compare';
import type { FactContext } from './types';

export type Read = (ctx: FactContext) => unknown;
export type CondFn = (ctx: FactContext) => boolean;

// ---- terminals and CALL ----
/** The condition holds. */
const YES = 0;
/** The condition does not hold. */
const NO = 1;
const CALL = 2;

// ---- leaf tests (specialized.ts): a value compared with a literal ----
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
export const Op = { CALL, SAME_EQ, SAME_NE, NUM_EQ, NUM_NE, STAMP_EQ, STAMP_NE, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, STR_GT, STR_GTE, STR_LT, STR_LTE, STAMP_GT, STAMP_GTE, STAMP_LT, STAMP_LTE, CONTAINS, STARTS_WITH, IN, NIN } as const;
export const At = { EVENT, USER, OTHER } as const;
export const Order = { GT, GTE, LT, LTE } as const;

const never: CondFn = () => false;
const nothing: Read = () => null;
const noKnown: Known = { value: null, iso: null };
const noValues: unknown[] = [];

export class Step {
  /** What to do: a terminal (YES, NO), CALL, or a leaf test. */
  op: number;
  /** The next step when this one holds, and when it does not (a terminal points to itself). */
  yes: Step;
  no: Step;
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
    this.yes = this;
    this.no = this;
  }
}

/** The ends of every graph. */
export const YES_STEP = new Step(YES);
export const NO_STEP = new Step(NO);

/** Evaluates the graph that starts at `first`. */
export function run(first: Step, ctx: FactContext): boolean {
  let s = first;
  while (s.op > NO) s = (s.op === CALL ? s.fn(ctx) : testLeaf(s, ctx)) ? s.yes : s.no;
  return s.op === YES;
}

export function callStep(fn: CondFn): Step {
  const s = new Step(CALL);
  s.fn = fn;
  return s;
}

/** A leaf step on its own, as a closure (a leaf node's `fn`, for explain and the tests). */
export function leafFn(s: Step): CondFn {
  return s.op === CALL ? s.fn : (ctx) => testLeaf(s, ctx);
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

/** `x` against a finite literal `n`, in the order `cmp` asks for (NaN: false). */
function numberHolds(cmp: number, x: number, n: number): boolean {
  return cmp === GT ? x > n : cmp === GTE ? x >= n : cmp === LT ? x < n : x <= n;
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
  // The common tests here; the rest in `otherTest`, so that this function stays
  // small enough for the optimiser to inline into `run` (a call per leaf less).
  switch (s.op) {
    // Only the identical string (or the same boolean) is equal: === is exactly that.
    case SAME_EQ:
      return x === s.lit;
    case SAME_NE:
      return x !== s.lit;
    // Against a number literal, a string orders only as an ISO date: the generic path decides.
    case NUM_GT:
    case NUM_GTE:
    case NUM_LT:
    case NUM_LTE:
      return typeof x === 'number' ? numberHolds(s.cmp, x, s.num) : typeof x === 'string' && slowOrder(s, x, ctx.timezone);
    // A non-date string needle: in a string, a substring; in a list, an element that is that very
    // string (a number or boolean element never equals a non-date string). Anything else: false.
    case CONTAINS:
      return typeof x === 'string' ? x.includes(s.str) : Array.isArray(x) && x.includes(s.str);
    case IN:
      return isMember(s, x, ctx.timezone);
    case NIN:
      return !isMember(s, x, ctx.timezone);
    default:
      return otherTest(s, x, ctx.timezone);
  }
}

/** The leaf tests `testLeaf` does not do itself, on a value already read (not null). */
function otherTest(s: Step, x: unknown, tz: string | undefined): boolean {
  switch (s.op) {
    // A non-date string orders only against strings, in code-unit order (a number never orders against it).
    case STR_GT:
      return typeof x === 'string' && x > s.str;
    case STR_GTE:
      return typeof x === 'string' && x >= s.str;
    case STR_LT:
      return typeof x === 'string' && x < s.str;
    case STR_LTE:
      return typeof x === 'string' && x <= s.str;
    // A finite literal: x - lit === 0 is x === lit. A string equals a number only as an ISO date at that epoch.
    case NUM_EQ:
      return typeof x === 'number' ? x === s.num : typeof x === 'string' && slowEquals(s, x, tz);
    case NUM_NE:
      return !(typeof x === 'number' ? x === s.num : typeof x === 'string' && slowEquals(s, x, tz));
    // A stamp: the same string is equal; another string of its shape is another instant (or no
    // date); a number is equal at the stamp's epoch.
    case STAMP_EQ:
      return sameAsStamp(s, x, tz);
    case STAMP_NE:
      return !sameAsStamp(s, x, tz);
    // A stamp: a string of its shape orders as the string (see sameStampShape); a number is epoch ms.
    case STAMP_GT:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x > s.str : slowOrder(s, x, tz);
      return typeof x === 'number' && x > s.num;
    case STAMP_GTE:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x >= s.str : slowOrder(s, x, tz);
      return typeof x === 'number' && x >= s.num;
    case STAMP_LT:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x < s.str : slowOrder(s, x, tz);
      return typeof x === 'number' && x < s.num;
    case STAMP_LTE:
      if (typeof x === 'string') return sameStampShape(x, s.str.length) ? x <= s.str : slowOrder(s, x, tz);
      return typeof x === 'number' && x <= s.num;
    case STARTS_WITH:
      return typeof x === 'string' && x.startsWith(s.str);
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
