/**
 * The decision trace: which leaves decided a condition and what they saw.
 * For a condition that failed, the failing leaves; for one that held, the
 * leaves that made it hold. Bounded so a trace stays small in workflow history.
 */
import type { Node } from './evaluate';
import type { ConditionTrace, FactContext } from './types';

export const MAX_TRACE_LEAVES = 20;
const MAX_STRING = 120;
const MAX_ITEMS = 10;

type Leaf = ConditionTrace['leaves'][number];

export function explainNode(root: Node, ctx: FactContext): ConditionTrace {
  const leaves: Leaf[] = [];
  const result = collect(root, ctx, leaves);
  return { result, text: root.text, leaves };
}

/** Evaluates a node and records the leaves that explain its result; returns the result. */
function collect(node: Node, ctx: FactContext, out: Leaf[]): boolean {
  const result = node.fn(ctx);
  if (out.length >= MAX_TRACE_LEAVES) return result;
  if (node.kind === 'leaf') {
    const values: Record<string, unknown> = {};
    for (const o of node.operands) values[o.text] = truncate(o.fn(ctx), 0);
    out.push({ text: node.text, result, values });
    return result;
  }
  if (node.kind === 'not') {
    collect(node.children[0], ctx, out);
    return result;
  }
  // For all/any/atLeast alike, the children that agree with the result explain it:
  // a failed `all` by its failing children, a held `any` by its holding ones, and so on.
  for (const child of node.children) {
    if (out.length >= MAX_TRACE_LEAVES) break;
    if (child.fn(ctx) === result) collect(child, ctx, out);
  }
  return result;
}

/** Keeps long strings, big arrays and objects from bloating the trace. */
function truncate(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…` : v;
  if (v === null || typeof v !== 'object') return v;
  if (depth >= 2) return Array.isArray(v) ? `[${v.length} items]` : '{…}';
  if (Array.isArray(v)) {
    const head = v.slice(0, MAX_ITEMS).map((x) => truncate(x, depth + 1));
    return v.length > MAX_ITEMS ? [...head, `…${v.length - MAX_ITEMS} more`] : head;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (n++ >= MAX_ITEMS) {
      out['…'] = 'more';
      break;
    }
    out[k] = truncate(x, depth + 1);
  }
  return out;
}
