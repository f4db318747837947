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

/**
 * At most this many problems are listed in one answer, and a list of names
 * in a message at most MAX_LISTED_NAMES: a definition under the size cap can
 * hold tens of thousands of mistakes, and spelling each out (with every
 * state's name) built gigabytes of text for one request.
 */
export const MAX_LISTED_ISSUES = 100;
export const MAX_LISTED_NAMES = 20;

/** The first MAX_LISTED_ISSUES of `issues` and, past them, one more saying how many were left out. */
export function listedIssues(issues: readonly DomainIssue[]): DomainIssue[] {
  if (issues.length <= MAX_LISTED_ISSUES) return [...issues];
  const left = issues.length - MAX_LISTED_ISSUES;
  return [...issues.slice(0, MAX_LISTED_ISSUES), { path: '', message: `and ${left} more problem${left === 1 ? '' : 's'} not listed: mend these first` }];
}

/** `a, b, c`, or the first MAX_LISTED_NAMES and how many more. */
export function listedNames(names: readonly string[]): string {
  if (names.length <= MAX_LISTED_NAMES) return names.join(', ');
  return `${names.slice(0, MAX_LISTED_NAMES).join(', ')} and ${names.length - MAX_LISTED_NAMES} more`;
}
