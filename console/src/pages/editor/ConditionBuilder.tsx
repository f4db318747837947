import { useEffect, useState } from 'react';
import type { ConditionSource } from '../../../../src/domain/campaign/schema';
import { gridCellOf, gridCellPaths, gridRead, gridToSource, withNewRow, type ConditionGrid } from '../../../../src/domain/canvas/condition-grid';
import { ComparisonPicker } from './ComparisonPicker';
import { ExpressionEditor } from './ExpressionEditor';

/**
 * The seed's 2-D notation as a builder: every row must hold (AND), or "at
 * least k of these rows"; one alternative of a row is enough (OR), or "at
 * least k" of them. A cell is typed (with completion) or picked as fields
 * (aggregate, event type, property, comparator, number) when it is that
 * shape. Each change gives the condition in the compiler's notation; the
 * compiler judges it.
 *
 * A condition that does not compile yet (a typo in one cell) opens row by row
 * all the same, the typo in its own cell (gridRead); one in a shape the grid
 * cannot hold is shown read-only, to be edited in the JSON tab.
 */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function ConditionBuilder({
  label,
  value,
  issues,
  onChange,
  required = false,
}: {
  label: string;
  /** A condition the trigger cannot do without (a `when`): its first row starts as `false`, never `true` (withNewRow). */
  required?: boolean;
  value: ConditionSource | undefined;
  /** Compiler issues inside this condition, with their paths relative to it (and the character position inside an expression). */
  issues: Array<{ rest: string; message: string; position?: number }>;
  onChange: (c: ConditionSource | undefined) => void;
}) {
  // The grid being edited is kept as typed: reading it back through the compiler would reshape a half-typed row.
  const [read, setRead] = useState(() => gridRead(value));
  const grid = read.grid;
  const setGrid = (next: ConditionGrid) => setRead({ grid: next, editable: true });
  useEffect(() => {
    if (!read.editable || !same(grid.rows.length === 0 ? undefined : gridToSource(grid), value)) setRead(gridRead(value));
  }, [value]);
  const set = (next: ConditionGrid) => {
    setGrid(next);
    onChange(next.rows.length === 0 ? undefined : gridToSource(next));
  };
  const cellIssues = (r: number, i: number) => issues.filter((x) => {
    const cell = gridCellOf(grid, x.rest);
    return cell !== null && cell.row === r && cell.item === i;
  });
  // "at least k of these rows" is the condition's own atLeast: an issue there (k past the rows) belongs at its field.
  const atRowsK = (x: { rest: string }) => grid.atLeast !== undefined && x.rest === 'atLeast';
  const rowsKIssues = issues.filter(atRowsK);
  const loose = issues.filter((x) => !atRowsK(x) && gridCellOf(grid, x.rest) === null);
  // A position counts inside the cell's text only when the issue is about that very string, not something nested in it.
  const cellPath = (r: number, i: number) => gridCellPaths(grid).find((c) => c.cell.row === r && c.cell.item === i)?.path;
  const positioned = (r: number, i: number) => cellIssues(r, i).map((x) => (x.rest === cellPath(r, i) ? x : { message: x.message }));
  const setItem = (r: number, i: number, text: string) => set({ ...grid, rows: grid.rows.map((row, ri) => (ri === r ? { ...row, items: row.items.map((it, ii) => (ii === i ? text : it)) } : row)) });
  if (!read.editable) {
    return (
      <fieldset className="cond" aria-label={label}>
        <legend>{label}</legend>
        <textarea aria-label={`${label} as JSON`} readOnly aria-invalid={issues.length > 0} className="mono" rows={3} style={{ width: '100%', boxSizing: 'border-box' }} value={grid.rows[0]?.items[0] ?? ''} />
        <p className="muted small" data-testid="condition-read-only">
          The builder cannot show this condition as rows: edit it in the JSON tab.
        </p>
        {issues.map((x) => (
          <div key={x.rest + x.message} className="inline-issue" role="alert">
            {x.rest ? `${x.rest}: ` : ''}
            {x.message}
          </div>
        ))}
      </fieldset>
    );
  }
  return (
    <fieldset className="cond" aria-label={label}>
      <legend>{label}</legend>
      {(grid.rows.length > 1 || grid.atLeast !== undefined) && (
        <RowsNeeded label={label} grid={grid} invalid={rowsKIssues.length > 0} onChange={(atLeast) => set({ ...grid, atLeast })} />
      )}
      {rowsKIssues.map((x) => (
        <div key={x.message} className="inline-issue" role="alert">
          {x.message}
        </div>
      ))}
      {grid.rows.map((row, r) => (
        <div className="cond-row" key={r}>
          {r > 0 && <div className="cond-and">{grid.atLeast === undefined ? 'and' : '·'}</div>}
          {row.items.map((item, i) => (
            <span key={i} className="cond-item">
              {i > 0 && <span className="cond-or">or</span>}
              <ExpressionEditor label={`${label} row ${r + 1} alternative ${i + 1}`} value={item} issues={positioned(r, i)} onChange={(text) => setItem(r, i, text)} />
              <ComparisonPicker label={`${label} row ${r + 1} alternative ${i + 1}`} text={item} onChange={(text) => setItem(r, i, text)} />
              {cellIssues(r, i).map((x) => (
                <span key={x.message} className="inline-issue" role="alert">
                  {x.message}
                </span>
              ))}
            </span>
          ))}
          {/* A new alternative is `false` until filled in: `true` would make the whole row hold for everyone. */}
          <button type="button" className="link-button" onClick={() => set({ ...grid, rows: grid.rows.map((x, ri) => (ri === r ? { ...x, items: [...x.items, 'false'] } : x)) })}>
            + or
          </button>
          <label className="small">
            at least{' '}
            <input
              type="number"
              aria-label={`${label} row ${r + 1} at least`}
              min={1}
              max={row.items.length}
              value={row.atLeast ?? ''}
              placeholder="1"
              style={{ width: 48 }}
              onChange={(e) => set({ ...grid, rows: grid.rows.map((x, ri) => (ri === r ? { ...x, atLeast: e.target.value === '' ? undefined : Number(e.target.value) } : x)) })}
            />
          </label>
          <button type="button" className="link-button" aria-label={`Remove ${label} row ${r + 1}`} onClick={() => set({ ...grid, rows: grid.rows.filter((_, ri) => ri !== r) })}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => set(withNewRow(grid, { required }))}>
        {grid.atLeast === undefined ? '+ and row' : '+ row'}
      </button>
      {loose.map((x) => (
        <div key={x.rest + x.message} className="inline-issue" role="alert">
          {x.rest ? `${x.rest}: ` : ''}
          {x.message}
        </div>
      ))}
    </fieldset>
  );
}

/**
 * How many rows must hold: empty is all of them (the rows are joined by
 * "and"), a number k is the condition's own "at least k of these rows",
 * shown because rows drawn joined by "and" would read as all of them.
 */
function RowsNeeded({ label, grid, invalid, onChange }: { label: string; grid: ConditionGrid; invalid: boolean; onChange: (atLeast: number | undefined) => void }) {
  return (
    <label className="small">
      at least{' '}
      <input
        type="number"
        aria-label={`${label} rows at least`}
        aria-invalid={invalid}
        className={invalid ? 'invalid' : undefined}
        min={1}
        max={grid.rows.length}
        value={grid.atLeast ?? ''}
        placeholder={`all ${grid.rows.length}`}
        style={{ width: 64 }}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />{' '}
      of these rows
    </label>
  );
}
