import type { ReactNode } from 'react';
import { describeError } from '../api';
import { Busy } from './busy';
import { clock, dateTime } from './clock';

/**
 * The API's message and the path of each problem (`where` names a path as the page shows that field, `words` one named
 * inside a message). `about` names the part that failed, inside the box (what a screen reader says of it), for a page
 * whose parts fail apart.
 */
export function ErrorBox({ error, where, words, about }: { error: unknown; where?: (path: string) => string; words?: (message: string) => string; about?: string }) {
  if (!error) return null;
  const lead = about ? <span className="error-about">{about} </span> : null;
  // Not a failure: Kairos asked for a pause, and the panel says when it asks again.
  if (error instanceof Busy)
    return (
      <p className="notice" role="status" data-testid="busy">
        {lead}
        {error.message}
      </p>
    );
  const { message, details } = describeError(error, where, words);
  return (
    <div className="error" role="alert">
      {lead}
      <strong>{message}</strong>
      <ProblemList details={details} />
    </div>
  );
}

/**
 * An error's problems, one a line. A space before the list and after each
 * item, unseen: the box's text (what a screen reader says of the alert, what a
 * copy takes) read "The campaign does not compile.states.bonus: …" without it.
 */
export function ProblemList({ details }: { details: readonly string[] }) {
  if (details.length === 0) return null;
  return (
    <>
      {' '}
      <ul>
        {details.map((d) => (
          <li key={d}>
            {d}{' '}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Grey blocks where the content will be: no bare spinner, no jump when it arrives. */
export function Skeleton({ lines = 3, height = 18 }: { lines?: number; height?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ height, width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Badge({ tone, children }: { tone: 'ok' | 'held' | 'ended' | 'error' | 'neutral' | 'accent'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function since(at: Date | null): string {
  return at ? `as of ${clock(at)}` : '';
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime(d);
}
