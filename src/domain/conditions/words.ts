/**
 * A normalized condition as the graph and the canvas label it: the
 * structure in words ("(a or b) and c", "at least 2 of (a; b; c)"), the
 * comparisons as the compiler prints them (print.ts), so a label still
 * reads like what was written and two different conditions never read
 * the same. Pure.
 */
import type { Cond } from './ast';
import { printCond } from './print';

const compound = (c: Cond) => 'all' in c || 'any' in c;

export function conditionInWords(c: Cond): string {
  // A group inside a group is bracketed whatever the precedence: people do not count on "and" binding tighter.
  const part = (x: Cond) => (compound(x) ? `(${conditionInWords(x)})` : conditionInWords(x));
  if ('all' in c) return c.all.map(part).join(' and ');
  if ('any' in c) return c.any.map(part).join(' or ');
  if ('atLeast' in c) return `at least ${c.atLeast} of (${c.of.map(conditionInWords).join('; ')})`;
  if ('not' in c) return 'exists' in c.not || 'const' in c.not ? `not ${printCond(c.not)}` : `not (${conditionInWords(c.not)})`;
  return printCond(c);
}
