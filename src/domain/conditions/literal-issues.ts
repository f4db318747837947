/**
 * literalProblems (lexer.ts) on the normalized form instead of the tokens:
 * the same two mistakes whatever the notation (a 2-D array, a JSON tree, a
 * word operator such as `gt`), which the token check alone missed. No
 * positions: a JSON tree has none; the path says where.
 */
import { textProblem } from '../text-problem';
import type { Cond, Val } from './ast';

const ORDERINGS = new Set(['gt', 'gte', 'lt', 'lte']);
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

export function normalizedLiteralProblems(cond: Cond): string[] {
  const found: string[] = [];
  const value = (v: Val): void => {
    if ('lit' in v) {
      const problem = typeof v.lit === 'string' ? textProblem(v.lit) : null;
      if (problem) found.push(`the string ${problem}`);
    } else if ('list' in v) v.list.forEach(value);
    else if ('arith' in v) [v.left, v.right].forEach(value);
    else if ('fn' in v) v.args.forEach(value);
    else if ('agg' in v && v.filter) condition(v.filter);
  };
  const condition = (c: Cond): void => {
    if ('all' in c) c.all.forEach(condition);
    else if ('any' in c) c.any.forEach(condition);
    else if ('not' in c) condition(c.not);
    else if ('atLeast' in c) c.of.forEach(condition);
    else if ('exists' in c) value(c.exists);
    else if ('op' in c) {
      value(c.left);
      value(c.right);
      const text = [c.left, c.right].find((v): v is { lit: string } => 'lit' in v && typeof v.lit === 'string' && NUMERIC_TEXT.test(v.lit));
      if (ORDERINGS.has(c.op) && text) {
        found.push(`type mismatch: '${text.lit}' is text, and text never orders against a number (no type coercion): write ${text.lit}`);
      }
    }
  };
  condition(cond);
  return [...new Set(found)];
}
