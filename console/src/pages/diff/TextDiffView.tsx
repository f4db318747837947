import { useMemo } from 'react';
import { textDiff } from './text-diff';

/** The two definitions as YAML, line by line: removed lines red with "−", added green with "+", unchanged runs folded. */
export function TextDiffView({ before, after, from, to }: { before: string; after: string; from: number; to: number }) {
  const rows = useMemo(() => textDiff(before, after), [before, after]);
  const changed = rows.some((r) => r.kind === 'add' || r.kind === 'del');
  return (
    <div className="text-diff" role="region" aria-label={`Definition diff, v${from} to v${to}`} data-testid="text-diff">
      {!changed ? (
        <p className="muted" style={{ padding: 8 }}>
          The definitions of v{from} and v{to} are the same.
        </p>
      ) : (
        <table>
          <tbody>
            {rows.map((r, i) =>
              r.kind === 'skip' ? (
                <tr key={i} className="skip">
                  <td colSpan={4}>… {r.count} unchanged line{r.count === 1 ? '' : 's'}</td>
                </tr>
              ) : (
                <tr key={i} className={r.kind}>
                  <td className="ln">{r.oldLine ?? ''}</td>
                  <td className="ln">{r.newLine ?? ''}</td>
                  <td className="sign" aria-label={r.kind === 'add' ? 'added' : r.kind === 'del' ? 'removed' : undefined}>
                    {r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ' '}
                  </td>
                  <td>{r.text}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
