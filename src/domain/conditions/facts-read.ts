/**
 * What a normalized condition reads: its facts (`event.amount`,
 * `user.level`, `journey.entries`) and whether it reads an aggregate. For
 * checks on where a condition may be used (an audience reads the user only).
 */
import type { Cond, Val } from './ast';

export function factsRead(cond: Cond): { facts: string[]; aggregates: boolean } {
  const facts = new Set<string>();
  let aggregates = false;
  const value = (v: Val): void => {
    if ('fact' in v) facts.add(v.fact);
    else if ('list' in v) v.list.forEach(value);
    else if ('arith' in v) [v.left, v.right].forEach(value);
    else if ('fn' in v) v.args.forEach(value);
    else if ('agg' in v) aggregates = true;
  };
  const condition = (c: Cond): void => {
    if ('all' in c) c.all.forEach(condition);
    else if ('any' in c) c.any.forEach(condition);
    else if ('not' in c) condition(c.not);
    else if ('atLeast' in c) c.of.forEach(condition);
    else if ('exists' in c) value(c.exists);
    else if ('op' in c) [c.left, c.right].forEach(value);
  };
  condition(cond);
  return { facts: [...facts], aggregates };
}
