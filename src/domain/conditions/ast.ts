/**
 * The normalized form all three notations compile to. Plain JSON (no
 * positions, no closures) so equal conditions written differently are
 * deep-equal and a compiled plan can store it.
 */
import type { AggregateFn } from './types';
import type { ArithOp, CmpOp } from './syntax';

export type Literal = string | number | boolean | null;

export type Val =
  | { lit: Literal }
  | { list: Val[] }
  /** Canonical dotted path, always rooted: `event.price`, `user.address.city`, `journey.entries`. */
  | { fact: string }
  | { arith: ArithOp; left: Val; right: Val }
  | { fn: TimeFn; args: Val[] }
  | { agg: AggregateFn; type: string; property?: string; filter?: Cond };

export type TimeFn = 'now' | 'daysSince' | 'monthDay';

export type Cond =
  | { const: boolean }
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond }
  | { atLeast: number; of: Cond[] }
  /** `x == null` / `x != null` normalize to `exists`, so null-tests have one spelling. */
  | { exists: Val }
  | { op: CmpOp; left: Val; right: Val };

/** What can be told about a value before evaluation; `any` for facts whose type is only known at runtime. */
export type StaticType = 'number' | 'string' | 'boolean' | 'null' | 'list' | 'any';
