/**
 * The surface syntax tree: what the three notations are first turned into,
 * before checking and normalization. Every node remembers where it came from
 * so that a later check (a type mismatch, an unknown function) can still
 * point at the right JSON path and character.
 */

/** Where a node came from: a JSON path and, inside an expression string, a 0-based offset. */
export interface Loc {
  path: string;
  position?: number;
}

export type CmpOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'contains' | 'startsWith';
export type ArithOp = '+' | '-' | '*' | '/';

export type Syn =
  | { kind: 'num'; value: number; loc: Loc }
  | { kind: 'str'; value: string; loc: Loc }
  | { kind: 'bool'; value: boolean; loc: Loc }
  | { kind: 'null'; loc: Loc }
  | { kind: 'list'; items: Syn[]; loc: Loc }
  /** A dotted name as written (`price`, `event.address.city`); resolved to a fact later. */
  | { kind: 'name'; segments: string[]; loc: Loc }
  | { kind: 'call'; name: string; args: Syn[]; loc: Loc }
  | { kind: 'neg'; operand: Syn; loc: Loc }
  | { kind: 'arith'; op: ArithOp; left: Syn; right: Syn; loc: Loc }
  | { kind: 'cmp'; op: CmpOp; left: Syn; right: Syn; loc: Loc }
  /** Only the JSON tree can say "exists" without a call: `{ fact, op: 'exists' }`. */
  | { kind: 'exists'; operand: Syn; loc: Loc }
  | { kind: 'all'; items: Syn[]; loc: Loc }
  | { kind: 'any'; items: Syn[]; loc: Loc }
  | { kind: 'not'; operand: Syn; loc: Loc }
  | { kind: 'atLeast'; k: Syn; items: Syn[]; loc: Loc }
  /** A notation-level error already reported; lowering skips it silently. */
  | { kind: 'bad'; loc: Loc };

/** Word and symbol spellings of the comparison operators, shared by the parser and the JSON tree. */
export const CMP_SPELLINGS: Readonly<Record<string, CmpOp>> = {
  '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte',
  eq: 'eq', ne: 'ne', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte',
  in: 'in', nin: 'nin', 'not in': 'nin', contains: 'contains', startsWith: 'startsWith',
};

/** Nesting beyond this is refused, so hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 64;
