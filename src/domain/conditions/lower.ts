/**
 * Turns the surface tree of any notation into the normalized AST, checking
 * what can be known before evaluation: function names and arities, fact
 * roots, and literal/operator type mismatches. Problems are collected (not
 * thrown) so one submission reports all of them.
 */
import type { DomainIssue } from '../issues';
import type { Cond, Literal, StaticType, Val } from './ast';
import { arithmeticMismatch, comparisonMismatch, SYMBOL, type Typed } from './typecheck';
import { parseIso } from './dates';
import { resolveFact } from './facts';
import { AGGREGATE_FUNCTIONS, CONDITION_FUNCTIONS, type AggregateFn } from './types';
import type { CmpOp, Loc, Syn } from './syntax';


const AGGREGATES: ReadonlySet<string> = new Set<string>(AGGREGATE_FUNCTIONS);
const FUNCTIONS = CONDITION_FUNCTIONS.join(', ');
const CONDITION_KINDS: ReadonlySet<Syn['kind']> = new Set(['cmp', 'all', 'any', 'not', 'atLeast', 'exists']);
const MIRROR: Partial<Record<CmpOp, CmpOp>> = { eq: 'eq', ne: 'ne', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };

export class Lowering {
  constructor(readonly issues: DomainIssue[] = []) {}

  /** Inside `count('t', <filter>)`: `event` is the aggregated event and aggregates cannot nest. */
  private inFilter = false;

  private report(loc: Loc, message: string): null {
    this.issues.push(loc.position === undefined ? { path: loc.path, message } : { path: loc.path, message, position: loc.position });
    return null;
  }

  /** True when the syntax is a condition rather than a value (for compileValue). */
  static isConditionSyntax(syn: Syn): boolean {
    return CONDITION_KINDS.has(syn.kind) || (syn.kind === 'call' && (syn.name === 'exists' || syn.name === 'atLeast'));
  }

  cond(syn: Syn): Cond | null {
    switch (syn.kind) {
      case 'bad':
        return null;
      case 'bool':
        return { const: syn.value };
      case 'all':
      case 'any':
        return this.junction(syn.kind, syn.items, syn.loc);
      case 'not': {
        const inner = this.cond(syn.operand);
        if (inner === null) return null;
        return 'not' in inner ? inner.not : { not: inner };
      }
      case 'atLeast':
        return this.atLeast(syn.k, syn.items, syn.loc);
      case 'exists':
        return this.exists(syn.operand);
      case 'cmp':
        return this.comparison(syn.op, syn.left, syn.right, syn.loc);
      case 'call':
        if (syn.name === 'exists') {
          if (syn.args.length !== 1) return this.report(syn.loc, `exists takes 1 argument, got ${syn.args.length}`);
          return this.exists(syn.args[0]);
        }
        if (syn.name === 'atLeast') {
          if (syn.args.length < 2) return this.report(syn.loc, `atLeast takes a count and at least one condition, got ${syn.args.length} argument(s)`);
          return this.atLeast(syn.args[0], syn.args.slice(1), syn.loc);
        }
        return this.valueAsCondition(syn);
      default:
        return this.valueAsCondition(syn);
    }
  }

  private exists(operand: Syn): Cond | null {
    const v = this.value(operand);
    if (v === null) return null;
    // exists(5) or exists(null) is decided before any fact is read: surely a mistake.
    if (v.literal) return this.report(v.loc, 'exists(...) needs a fact or an expression, not a literal');
    return { exists: v.val };
  }

  /** A bare value used as a condition means `value == true` (`user.vip`); other types are refused. */
  private valueAsCondition(syn: Syn): Cond | null {
    const v = this.value(syn);
    if (v === null) return null;
    if (v.type !== 'boolean' && v.type !== 'any') return this.report(v.loc, `expected a condition, found a ${v.type}`);
    return { op: 'eq', left: v.val, right: { lit: true } };
  }

  private junction(kind: 'all' | 'any', items: Syn[], loc: Loc): Cond | null {
    if (items.length === 0) return this.report(loc, `'${kind}' needs at least one condition`);
    const lowered = items.map((s) => this.cond(s));
    if (lowered.some((c) => c === null)) return null;
    // Flattening makes `a && (b && c)`, `{all:[a,{all:[b,c]}]}` and a 2-D grid of singletons one shape.
    const flat: Cond[] = [];
    for (const c of lowered as Cond[]) {
      if (kind === 'all' && 'all' in c) flat.push(...c.all);
      else if (kind === 'any' && 'any' in c) flat.push(...c.any);
      else flat.push(c);
    }
    if (flat.length === 1) return flat[0];
    return kind === 'all' ? { all: flat } : { any: flat };
  }

  private atLeast(kSyn: Syn, items: Syn[], loc: Loc): Cond | null {
    const of = items.map((s) => this.cond(s));
    if (kSyn.kind !== 'num' || !Number.isInteger(kSyn.value)) return this.report(kSyn.loc, 'atLeast needs a whole number as its count');
    if (items.length === 0) return this.report(loc, 'atLeast needs at least one condition');
    if (kSyn.value < 1 || kSyn.value > items.length) {
      return this.report(kSyn.loc, `atLeast count must be between 1 and the number of conditions (${items.length}), got ${kSyn.value}`);
    }
    if (of.some((c) => c === null)) return null;
    return { atLeast: kSyn.value, of: of as Cond[] };
  }

  private comparison(op: CmpOp, lSyn: Syn, rSyn: Syn, loc: Loc): Cond | null {
    const l = this.value(lSyn);
    const r = this.value(rSyn);
    if (l === null || r === null) return null;
    const sym = SYMBOL[op];
    if (l.type === 'null' && r.type === 'null') return this.report(loc, 'comparing null with null');
    if (l.type === 'null' || r.type === 'null') {
      // `x == null` / `x != null` are the null tests; every other comparison with null is always false.
      const other = l.type === 'null' ? r : l;
      // Like exists(5): a literal's null-ness is known before any fact is read, surely a mistake.
      if (other.literal) return this.report(other.loc, `comparing the literal ${JSON.stringify((other.val as { lit: unknown }).lit)} with null is always ${op === 'ne'}`);
      if (op === 'eq') return { not: { exists: other.val } };
      if (op === 'ne') return { exists: other.val };
      return this.report((l.type === 'null' ? l : r).loc, `'${sym}' with null is always false; use exists(x) or == null`);
    }
    const mismatch = comparisonMismatch(op, l, r, loc);
    if (mismatch) return this.report(mismatch.loc, mismatch.message);
    // Literal on the left: mirror it so `20 <= price` and `price >= 20` normalize alike.
    const mirrored = MIRROR[op];
    if (mirrored && l.literal && !r.literal) return { op: mirrored, left: r.val, right: l.val };
    return { op, left: l.val, right: r.val };
  }

  value(syn: Syn): Typed | null {
    const lit = (value: Literal, type: StaticType): Typed => ({
      val: { lit: value }, type, literal: true, iso: typeof value === 'string' && parseIso(value) !== null, loc: syn.loc,
    });
    switch (syn.kind) {
      case 'bad':
        return null;
      case 'num':
        return lit(Object.is(syn.value, -0) ? 0 : syn.value, 'number');
      case 'str':
        return lit(syn.value, 'string');
      case 'bool':
        return lit(syn.value, 'boolean');
      case 'null':
        return lit(null, 'null');
      case 'list': {
        const items = syn.items.map((s) => this.value(s));
        if (items.some((t) => t === null)) return null;
        return { val: { list: (items as Typed[]).map((t) => t.val) }, type: 'list', literal: true, iso: false, loc: syn.loc };
      }
      case 'name': {
        const r = resolveFact(syn.segments);
        if (!r.ok) return this.report(syn.loc, r.message);
        return { val: { fact: r.path }, type: r.type, literal: false, iso: false, loc: syn.loc };
      }
      case 'neg': {
        const v = this.value(syn.operand);
        if (v === null) return null;
        if ('lit' in v.val && typeof v.val.lit === 'number') return lit(v.val.lit === 0 ? 0 : -v.val.lit, 'number');
        const bad = arithmeticMismatch(v, '-');
        if (bad) return this.report(bad.loc, bad.message);
        return { val: { arith: '-', left: { lit: 0 }, right: v.val }, type: 'number', literal: false, iso: false, loc: syn.loc };
      }
      case 'arith': {
        const l = this.value(syn.left);
        const r = this.value(syn.right);
        if (l === null || r === null) return null;
        const bad = arithmeticMismatch(l, syn.op) ?? arithmeticMismatch(r, syn.op);
        if (bad) return this.report(bad.loc, bad.message);
        return { val: { arith: syn.op, left: l.val, right: r.val }, type: 'number', literal: false, iso: false, loc: syn.loc };
      }
      case 'call':
        return this.call(syn.name, syn.args, syn.loc);
      default:
        return this.report(syn.loc, 'expected a value, found a condition');
    }
  }

  private call(name: string, args: Syn[], loc: Loc): Typed | null {
    const typed = (val: Val, type: StaticType): Typed => ({ val, type, literal: false, iso: false, loc });
    const arity = (min: number, max: number): boolean => {
      if (args.length >= min && args.length <= max) return true;
      const want = min === max ? `${min}` : `${min} to ${max}`;
      this.report(loc, `${name} takes ${want} argument${max === 1 ? '' : 's'}, got ${args.length}`);
      return false;
    };
    switch (name) {
      case 'now':
        return arity(0, 0) ? typed({ fn: 'now', args: [] }, 'number') : null;
      case 'daysSince':
      case 'monthDay': {
        if (!arity(1, 1)) return null;
        const a = this.value(args[0]);
        if (a === null) return null;
        if (a.type === 'boolean' || a.type === 'list' || a.type === 'null') return this.report(a.loc, `${name} needs a date, found a ${a.type}`);
        if (a.literal && a.type === 'string' && !a.iso && !(name === 'monthDay' && /^(--)?\d{2}-\d{2}$/.test(String((a.val as { lit: string }).lit)))) {
          return this.report(a.loc, `${name} needs an ISO 8601 date`);
        }
        return typed({ fn: name, args: [a.val] }, name === 'daysSince' ? 'number' : 'string');
      }
      case 'exists':
      case 'atLeast':
        return this.report(loc, `${name}(...) is a condition, not a value`);
      default:
        if (AGGREGATES.has(name)) return this.aggregate(name as AggregateFn, args, loc);
        return this.report(loc, `unknown function '${name}' (known: ${FUNCTIONS})`);
    }
  }

  private aggregate(fn: AggregateFn, args: Syn[], loc: Loc): Typed | null {
    if (this.inFilter) return this.report(loc, 'aggregates cannot be used inside an aggregate filter');
    const [min, max] = fn === 'count' ? [1, 2] : [2, 3];
    if (args.length < min || args.length > max) {
      const usage = fn === 'count' ? "count('type') or count('type', <condition>)" : `${fn}('type', 'property') or ${fn}('type', 'property', <condition>)`;
      return this.report(loc, `${fn} takes ${min} to ${max} arguments, got ${args.length}: ${usage}`);
    }
    const typeArg = args[0];
    if (typeArg.kind !== 'str' || typeArg.value === '') return this.report(typeArg.loc, `${fn} needs an event type string as its first argument`);
    let property: string | undefined;
    let filterSyn: Syn | undefined;
    if (fn === 'count') filterSyn = args[1];
    else {
      const p = args[1];
      if (p.kind !== 'str' || !/^[^.]+(\.[^.]+)*$/.test(p.value)) return this.report(p.loc, `${fn} needs a property name string as its second argument`);
      property = p.value;
      filterSyn = args[2];
    }
    let filter: Cond | null | undefined;
    if (filterSyn !== undefined) {
      this.inFilter = true;
      filter = this.cond(filterSyn);
      this.inFilter = false;
      if (filter === null) return null;
    }
    const val: Val = { agg: fn, type: typeArg.value };
    if (property !== undefined) val.property = property;
    if (filter) val.filter = filter;
    return { val, type: 'number', literal: false, iso: false, loc };
  }
}
