/**
 * A line diff of two texts (the definitions as YAML) in hunks, as a reviewer
 * reads one: changed lines with their old and new line numbers, and a few
 * unchanged lines of context around them. Pure; the diffing itself is
 * jsdiff's (Myers' algorithm), the rows and hunks are ours.
 */
import { diffLines } from 'diff';

export type DiffRow =
  | { kind: 'same' | 'add' | 'del'; text: string; oldLine: number | null; newLine: number | null }
  | { kind: 'skip'; count: number };

function lines(value: string): string[] {
  const out = value.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
}

/** Every line of both texts, in order, with its line numbers. */
export function diffRows(before: string, after: string): Array<Extract<DiffRow, { text: string }>> {
  const rows: Array<Extract<DiffRow, { text: string }>> = [];
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(before, after)) {
    for (const text of lines(part.value)) {
      if (part.added) rows.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
      else if (part.removed) rows.push({ kind: 'del', text, oldLine: oldLine++, newLine: null });
      else rows.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return rows;
}

/** The changed lines with `context` unchanged lines around each change; longer unchanged runs fold into one "skip" row. */
export function textDiff(before: string, after: string, context = 3): DiffRow[] {
  const rows = diffRows(before, after);
  const near = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) near[j] = true;
  });
  const out: DiffRow[] = [];
  let skipped = 0;
  rows.forEach((r, i) => {
    if (near[i]) {
      if (skipped > 0) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(r);
    } else skipped += 1;
  });
  if (skipped > 0) out.push({ kind: 'skip', count: skipped });
  return out;
}
