/**
 * The condition builder's model: rows that must all hold (AND), each a list
 * of alternatives of which one must hold (OR), or "at least k of" them; and
 * optionally "at least k of the rows" instead of all of them. It maps both
 * ways onto the notations the compiler accepts: out to the seed's 2-D array
 * (`[["a", "b"], ["c"]]`, a row with a k as `{ "atLeast": k, "of": [...] }`),
 * in from any notation through the compiler's normalized form, so a
 * condition typed as an expression opens in the builder too.
 *
 * Alternatives are expression texts (normally single comparisons such as
 * `sum('order.completed', 'amount') >= 20`). A source that reads back as a
 * different but equivalent grid (a top-level "at least k" over single
 * alternatives is one row "at least k") comes back in that one form.
 */
import type { ConditionSource } from '../campaign/schema';
import { compileCondition, conditionText, type NormalizedCondition } from '../conditions';
import { joinPath, ok, fail, type Result } from '../issues';

export interface ConditionRow {
  /** Expression texts; one of them must hold (or `atLeast` of them). */
  items: string[];
  atLeast?: number;
}

export interface ConditionGrid {
  /** All rows must hold (or `atLeast` of them). */
  rows: ConditionRow[];
  atLeast?: number;
}

/** A builder cell: row `row`, alternative `item`; `item` null for the row's own k. */
export interface GridCell {
  row: number;
  item: number | null;
}

const single = (row: ConditionRow) => row.items.length === 1 && row.atLeast === undefined;

function rowCondition(row: ConditionRow): ConditionSource {
  if (row.atLeast !== undefined) return { atLeast: row.atLeast, of: row.items };
  return single(row) ? row.items[0] : { any: row.items };
}

/** The grid in the compiler's notations: a lone alternative as its text, otherwise the 2-D array (or an atLeast tree over the rows). */
export function gridToSource(grid: ConditionGrid): ConditionSource {
  if (grid.atLeast !== undefined) return { atLeast: grid.atLeast, of: grid.rows.map(rowCondition) };
  if (grid.rows.length === 1 && single(grid.rows[0])) return grid.rows[0].items[0];
  return grid.rows.map((row) => (row.atLeast !== undefined ? { atLeast: row.atLeast, of: row.items } : row.items));
}

/**
 * The grid with one more row, which changes nothing until it is filled in:
 * `true` when every row must hold (it holds for everyone), `false` under "at
 * least k of the rows" (where `true` would count as one of the k for
 * everyone, and so weaken the condition).
 *
 * `required`: a condition that must be there (a `when`), whose empty grid is
 * not "always" but a condition still to write. Its first row is `false`: a
 * `true` there would be the whole condition, and move everyone on at once.
 */
export function withNewRow(grid: ConditionGrid, { required = false }: { required?: boolean } = {}): ConditionGrid {
  const neutral = grid.atLeast === undefined && !(required && grid.rows.length === 0) ? 'true' : 'false';
  return { ...grid, rows: [...grid.rows, { items: [neutral] }] };
}

/** The path of each cell inside what gridToSource makes, relative to the condition's own path. */
export function gridCellPaths(grid: ConditionGrid): Array<{ path: string; cell: GridCell }> {
  const out: Array<{ path: string; cell: GridCell }> = [];
  if (grid.atLeast !== undefined) {
    grid.rows.forEach((row, r) => {
      const rowPath = joinPath('of', r);
      if (row.atLeast !== undefined) out.push({ path: joinPath(rowPath, 'atLeast'), cell: { row: r, item: null } });
      if (single(row)) out.push({ path: rowPath, cell: { row: r, item: 0 } });
      else row.items.forEach((_, i) => out.push({ path: joinPath(joinPath(rowPath, row.atLeast !== undefined ? 'of' : 'any'), i), cell: { row: r, item: i } }));
    });
    return out;
  }
  if (grid.rows.length === 1 && single(grid.rows[0])) return [{ path: '', cell: { row: 0, item: 0 } }];
  grid.rows.forEach((row, r) => {
    const rowPath = joinPath('', r);
    if (row.atLeast !== undefined) {
      out.push({ path: joinPath(rowPath, 'atLeast'), cell: { row: r, item: null } });
      row.items.forEach((_, i) => out.push({ path: joinPath(joinPath(rowPath, 'of'), i), cell: { row: r, item: i } }));
    } else {
      row.items.forEach((_, i) => out.push({ path: joinPath(rowPath, i), cell: { row: r, item: i } }));
    }
  });
  return out;
}

/**
 * The builder cell an issue inside the condition points at: `subPath` is the
 * issue path with the condition's own path taken off (`[1][0]`, `of[0]`).
 */
export function gridCellOf(grid: ConditionGrid, subPath: string): GridCell | null {
  const within = (p: string) => subPath === p || subPath.startsWith(`${p}.`) || subPath.startsWith(`${p}[`) || p === '';
  const hits = gridCellPaths(grid).filter(({ path }) => within(path));
  hits.sort((a, b) => b.path.length - a.path.length);
  return hits[0]?.cell ?? null;
}

function rowOf(cond: NormalizedCondition): ConditionRow {
  if ('any' in cond) return { items: cond.any.map(conditionText) };
  if ('atLeast' in cond) return { items: cond.of.map(conditionText), atLeast: cond.atLeast };
  return { items: [conditionText(cond)] };
}

const isGroup = (c: NormalizedCondition) => 'any' in c || 'atLeast' in c;

/** Any condition the compiler accepts, as a grid; the compiler's issues (with their paths) otherwise. */
export function gridFromSource(source: unknown, path = ''): Result<ConditionGrid> {
  const compiled = compileCondition(source, path);
  if (!compiled.ok) return fail(compiled.issues);
  const cond = compiled.value.normalized;
  if ('all' in cond) return ok({ rows: cond.all.map(rowOf) });
  if ('atLeast' in cond && cond.of.some(isGroup)) return ok({ atLeast: cond.atLeast, rows: cond.of.map(rowOf) });
  return ok({ rows: [rowOf(cond)] });
}

/**
 * How the builder opens a condition: `editable` false when it is not in a
 * shape the grid can hold as typed (the builder then shows it read-only and
 * points to the JSON tab, rather than storing it as one expression string on
 * the first edit).
 */
export interface GridRead {
  grid: ConditionGrid;
  editable: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (v: Record<string, unknown>, ...keys: string[]) => Object.keys(v).every((k) => keys.includes(k));

/**
 * One alternative as a cell's text: a string as typed (a typo stays a typo,
 * in its own cell), a nested condition as the compiler prints it when it
 * compiles; null for anything else (a tree leaf that does not compile, which
 * no expression text stands for).
 */
function cellOf(leaf: unknown): string | null {
  if (typeof leaf === 'string') return leaf;
  if (typeof leaf === 'boolean') return String(leaf);
  const compiled = compileCondition(leaf, '');
  return compiled.ok ? conditionText(compiled.value.normalized) : null;
}

/** A row's alternatives: an array, `{ any }`, `{ atLeast, of }`, or a lone condition; null when a leaf has no text. */
function lenientRow(row: unknown): ConditionRow | null {
  const cells = (leaves: unknown[]): string[] | null => {
    const texts = leaves.map(cellOf);
    return texts.every((t): t is string => t !== null) ? texts : null;
  };
  if (Array.isArray(row)) {
    const items = cells(row);
    return items === null || items.length === 0 ? null : { items };
  }
  if (isRecord(row) && Array.isArray(row.any) && onlyKeys(row, 'any')) {
    const items = cells(row.any);
    return items === null || items.length === 0 ? null : { items };
  }
  if (isRecord(row) && typeof row.atLeast === 'number' && Array.isArray(row.of) && onlyKeys(row, 'atLeast', 'of')) {
    const items = cells(row.of);
    return items === null || items.length === 0 ? null : { items, atLeast: row.atLeast };
  }
  const text = cellOf(row);
  return text === null ? null : { items: [text] };
}

/** Rows of a list, or null when one of them is not a row. */
function lenientRows(rows: unknown[]): ConditionRow[] | null {
  const read = rows.map(lenientRow);
  return read.length > 0 && read.every((r): r is ConditionRow => r !== null) ? read : null;
}

/**
 * A condition read into the grid without compiling it: the 2-D array, `{ all }`,
 * `{ any }` and `{ atLeast, of }` are read cell by cell, each string as typed,
 * so a condition that does not compile yet (a typo in one cell) keeps its rows
 * and the typo stays in its own cell. Null for a shape that is no grid (a
 * number, an unknown object, a nested tree that does not compile).
 */
export function gridOfLenient(source: unknown): ConditionGrid | null {
  if (typeof source === 'string' || typeof source === 'boolean') return { rows: [{ items: [String(source)] }] };
  if (Array.isArray(source)) {
    const rows = lenientRows(source);
    return rows === null ? null : { rows };
  }
  if (!isRecord(source)) return null;
  if (Array.isArray(source.all) && onlyKeys(source, 'all')) {
    const rows = lenientRows(source.all);
    return rows === null ? null : { rows };
  }
  if (Array.isArray(source.any) && onlyKeys(source, 'any')) {
    const row = lenientRow(source);
    return row === null ? null : { rows: [row] };
  }
  if (typeof source.atLeast === 'number' && Array.isArray(source.of) && onlyKeys(source, 'atLeast', 'of')) {
    // Over rows (some of them groups) it is "at least k of these rows"; over single alternatives, one row "at least k".
    const of = source.of as unknown[];
    if (of.some((x) => Array.isArray(x) || isRecord(x))) {
      const rows = lenientRows(of);
      return rows === null ? null : { atLeast: source.atLeast, rows };
    }
    const row = lenientRow(source);
    return row === null ? null : { rows: [row] };
  }
  const text = cellOf(source);
  return text === null ? null : { rows: [{ items: [text] }] };
}

/**
 * What the condition builder opens: the compiler's reading when the condition
 * compiles, otherwise the lenient one (gridOfLenient); a shape neither reads
 * is shown as its JSON in one cell, not editable.
 */
export function gridRead(source: ConditionSource | undefined): GridRead {
  if (source === undefined) return { grid: { rows: [] }, editable: true };
  const compiled = gridFromSource(source);
  if (compiled.ok) return { grid: compiled.value, editable: true };
  const lenient = gridOfLenient(source);
  if (lenient !== null) return { grid: lenient, editable: true };
  return { grid: { rows: [{ items: [typeof source === 'string' ? source : JSON.stringify(source)] }] }, editable: false };
}
