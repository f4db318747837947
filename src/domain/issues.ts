/**
 * A problem found in operator or client input, located by a JSON path
 * (`states.rewarded.actions.steps[0].pool`) and, inside an expression string,
 * by a 0-based character position. The API turns a list of these into the
 * `details` of a 400 answer, so paths must match the submitted document.
 */
export interface DomainIssue {
  path: string;
  message: string;
  /** 0-based character offset inside the string at `path`, when the problem is inside an expression. */
  position?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: DomainIssue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(issues: DomainIssue[]): Result<T> => ({ ok: false, issues });

/** Joins a JSON path and a key the way the issues report it: `a.b[0].c`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}
