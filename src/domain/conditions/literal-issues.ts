/**
 * Two of literalProblems' checks (lexer.ts) on the normalized form instead of
 * the tokens: a fallback. Each leaf of every notation is checked where it is
 * read (NotationReader, with its own path and position); this pass only
 * reports, at the condition's root path with no position, what no leaf
 * showed.
 */
import { textProblem } from '../text-problem';
import type { Cond } from './ast';
import { conditionNodes } from './walk';

const ORDERINGS = new Set(['gt', 'gte', 'lt', 'lte']);
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

export function normalizedLiteralProblems(cond: Cond): string[] {
  const found: string[] = [];
  for (const node of conditionNodes(cond, true)) {
    if ('val' in node) {
      const problem = 'lit' in node.val && typeof node.val.lit === 'string' ? textProblem(node.val.lit) : null;
      if (problem) found.push(`the string ${problem}`);
      continue;
    }
    const c = node.cond;
    if (!('op' in c) || !ORDERINGS.has(c.op)) continue;
    const text = [c.left, c.right].find((v): v is { lit: string } => 'lit' in v && typeof v.lit === 'string' && NUMERIC_TEXT.test(v.lit));
    if (text) found.push(`type mismatch: '${text.lit}' is text, and text never orders against a number (no type coercion): write ${text.lit}`);
  }
  return [...new Set(found)];
}
