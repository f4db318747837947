/**
 * Renders the normalized AST as expression text. The output parses back to
 * the same AST, which is what makes it safe to use as the aggregate key and
 * the trace text.
 */
import type { Cond, Literal, Val } from './ast';
import type { CmpOp } from './syntax';

const SYMBOL: Record<CmpOp, string> = {
  eq: '==', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=', in: 'in', nin: 'not in', contains: 'contains', startsWith: 'startsWith',
};

export function printLiteral(v: Literal): string {
  if (typeof v === 'string') return `'${v.replace(/[\\'\n\r\t\0]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' })[c] ?? c)}'`;
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  return String(v);
}

/** Binding strength of a value node, to decide parentheses. */
function valPrec(v: Val): number {
  if ('arith' in v) return v.arith === '+' || v.arith === '-' ? 1 : 2;
  if ('lit' in v && typeof v.lit === 'number' && v.lit < 0) return 2.5;
  return 3;
}

export function printVal(v: Val): string {
  if ('lit' in v) return printLiteral(v.lit);
  if ('list' in v) return `[${v.list.map(printVal).join(', ')}]`;
  if ('fact' in v) return v.fact;
  if ('fn' in v) return `${v.fn}(${v.args.map(printVal).join(', ')})`;
  if ('agg' in v) {
    const args = [printLiteral(v.type)];
    if (v.property !== undefined) args.push(printLiteral(v.property));
    if (v.filter !== undefined) args.push(printCond(v.filter));
    return `${v.agg}(${args.join(', ')})`;
  }
  const p = valPrec(v);
  const left = valPrec(v.left) < p ? `(${printVal(v.left)})` : printVal(v.left);
  // Right operands of equal strength need parentheses: a - (b - c), and a - (-1) reads clearer than a - -1.
  const right = valPrec(v.right) <= p || valPrec(v.right) === 2.5 ? `(${printVal(v.right)})` : printVal(v.right);
  return `${left} ${v.arith} ${right}`;
}

function condPrec(c: Cond): number {
  if ('any' in c) return 1;
  if ('all' in c) return 2;
  return 3;
}

export function printCond(c: Cond): string {
  if ('const' in c) return String(c.const);
  if ('exists' in c) return `exists(${printVal(c.exists)})`;
  if ('op' in c) return `${printVal(c.left)} ${SYMBOL[c.op]} ${printVal(c.right)}`;
  if ('not' in c) {
    const inner = c.not;
    return 'exists' in inner || 'const' in inner ? `!${printCond(inner)}` : `!(${printCond(inner)})`;
  }
  if ('atLeast' in c) return `atLeast(${c.atLeast}, ${c.of.map(printCond).join(', ')})`;
  if ('all' in c) return c.all.map((x) => (condPrec(x) < 2 ? `(${printCond(x)})` : printCond(x))).join(' && ');
  return c.any.map((x) => (condPrec(x) < 1 ? `(${printCond(x)})` : printCond(x))).join(' || ');
}
