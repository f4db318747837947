/**
 * What a normalized condition reads: its facts (`event.amount`,
 * `user.level`, `journey.entries`) and whether it reads an aggregate. For
 * checks on where a condition may be used (an audience reads the user only).
 */
import type { Cond } from './ast';
import { conditionNodes } from './walk';

export function factsRead(cond: Cond): { facts: string[]; aggregates: boolean } {
  const facts = new Set<string>();
  let aggregates = false;
  for (const node of conditionNodes(cond, false)) {
    if (!('val' in node)) continue;
    if ('fact' in node.val) facts.add(node.val.fact);
    else if ('agg' in node.val) aggregates = true;
  }
  return { facts: [...facts], aggregates };
}
