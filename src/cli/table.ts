import type { CommandContext } from './context';
import { oneLine } from './terminal-text';

export type Cell = string | number | boolean | null | undefined;

// One line per row whatever the server sent (a name with a line break or an escape sequence).
const text = (c: Cell): string => (c === null || c === undefined ? '-' : oneLine(String(c)));

/**
 * A plain-text table: a header row, a rule, and the rows, columns padded to
 * their widest cell; numbers are right-aligned so their digits line up.
 */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  const cells = rows.map((r) => headers.map((_, i) => text(r[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

/** What a list command prints: `json` as given with --json; else `empty` when there are no rows (if given); else the table. */
export function printList(ctx: CommandContext, list: { json: unknown; columns: string[]; rows: Cell[][]; empty?: string }): void {
  if (ctx.json) ctx.printJson(list.json);
  else if (list.rows.length === 0 && list.empty !== undefined) ctx.out(list.empty);
  else ctx.io.stdout(renderTable(list.columns, list.rows));
}
