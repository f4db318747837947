/**
 * Compile-time type checks: what can be told wrong from literals and typed
 * expressions (`count(..)`, `journey.entries`) before any fact is read.
 * Facts are untyped (`any`), so only a literal or a typed expression can
 * mismatch; the culprit literal is where the issue points.
 */
import type { StaticType, Val } from './ast';
import type { CmpOp, Loc } from './syntax';

/** A lowered value and what is statically known about it. */
export interface Typed {
  val: Val;
  type: StaticType;
  /** A literal written in the source (its loc is the best place to point at). */
  literal: boolean;
  /** A string literal that is an ISO date, so it may be compared with numbers (epoch ms). */
  iso: boolean;
  loc: Loc;
}

export interface Mismatch {
  loc: Loc;
  message: string;
}

export const SYMBOL: Record<CmpOp, string> = {
  eq: '==', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=', in: 'in', nin: 'not in', contains: 'contains', startsWith: 'startsWith',
};

export function comparisonMismatch(op: CmpOp, l: Typed, r: Typed, loc: Loc): Mismatch | null {
  const sym = SYMBOL[op];
  const blame = (t: Typed): Loc => (t.literal ? t.loc : loc);
  const fail = (t: Typed, message: string): Mismatch => ({ loc: blame(t), message });
  const known = (t: Typed): boolean => t.type !== 'any';
  const dateLike = (a: Typed, b: Typed): boolean => a.type === 'number' && b.type === 'string' && b.iso;
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      for (const t of [r, l]) if (t.type === 'boolean' || t.type === 'list') return fail(t, `'${sym}' cannot order a ${t.type}`);
      if (known(l) && known(r) && l.type !== r.type && !dateLike(l, r) && !dateLike(r, l)) {
        return fail(r.literal ? r : l, `type mismatch: cannot order a ${l.type} against a ${r.type}${isoHint(l, r)}`);
      }
      return null;
    case 'eq':
    case 'ne':
      if (known(l) && known(r) && l.type !== r.type && !dateLike(l, r) && !dateLike(r, l)) {
        return fail(r.literal ? r : l, `type mismatch: a ${l.type} is never equal to a ${r.type}${isoHint(l, r)}`);
      }
      return null;
    case 'in':
    case 'nin':
      if (r.type !== 'list' && r.type !== 'any') return fail(r, `'${sym}' needs a list on the right, found a ${r.type}`);
      return null;
    case 'contains':
      if (l.type === 'number' || l.type === 'boolean') return fail(l, `'contains' needs a string or a list on the left, found a ${l.type}`);
      if (r.type === 'boolean' || r.type === 'list') return fail(r, `'contains' cannot look for a ${r.type}`);
      // A number may be looked for in a list fact (`event.productIds contains 1`), never in a string.
      if (r.type === 'number' && l.type === 'string') return fail(r, `'contains' on a string needs a string, found a number`);
      return null;
    case 'startsWith':
      if (known(l) && l.type !== 'string') return fail(l, `'startsWith' needs a string on the left, found a ${l.type}`);
      if (known(r) && r.type !== 'string') return fail(r, `'startsWith' needs a string, found a ${r.type}`);
      return null;
  }
}

export function arithmeticMismatch(t: Typed, op: string): Mismatch | null {
  if (t.type === 'number' || t.type === 'any') return null;
  return { loc: t.loc, message: `'${op}' needs numbers, found a ${t.type}` };
}

function isoHint(l: Typed, r: Typed): string {
  const s = l.type === 'string' && l.literal ? l : r.type === 'string' && r.literal ? r : null;
  return s && (l.type === 'number' || r.type === 'number') ? ' (a string compared with a number must be an ISO 8601 date)' : '';
}
