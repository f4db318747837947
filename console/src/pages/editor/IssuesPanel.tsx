import type { Issue } from './editor-model';

/**
 * Every issue shown at its field, with its path; issues about parts not
 * touched yet are counted (the badge has them too) and shown on request.
 */
export function IssuesPanel({ shown, waiting, onShowAll }: { shown: Issue[]; waiting: number; onShowAll: () => void }) {
  if (shown.length === 0 && waiting === 0) return null;
  return (
    <div className="panel" role="region" aria-label="All issues">
      <h2>Issues</h2>
      {shown.length > 0 && (
        <ul className="plain small">
          {shown.map((i, n) => (
            <li key={n} className="inline-issue">
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      {waiting > 0 && (
        <p className="small muted" data-testid="issues-waiting">
          {waiting === 1 ? '1 issue' : `${waiting} issues`} in parts not edited yet.{' '}
          <button type="button" className="link-button" onClick={onShowAll}>
            Show {waiting === 1 ? 'it' : 'them'}
          </button>
        </p>
      )}
    </div>
  );
}
