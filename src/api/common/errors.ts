import type { DomainIssue } from '../../domain/issues';

/** Domain errors are plain classes; HttpErrorFilter is the one place that maps them to HTTP. */
export class InputError extends Error {
  constructor(
    readonly details: DomainIssue[],
    message = 'The request is not valid.',
    readonly code = 'invalid_request',
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export class ConflictError extends Error {
  constructor(
    message: string,
    readonly code = 'conflict',
    /** What conflicts, by path (e.g. `baseVersion` of a stale edit). */
    readonly details: DomainIssue[] = [],
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends Error {
  constructor(message: string, readonly details: DomainIssue[] = []) {
    super(message);
  }
}

/** A dependency (PostgreSQL, Temporal) is down: 503 with Retry-After. */
/** `retryAfterSeconds` null: no Retry-After, since repeating the same request is not what would help (the message says what would). */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: 'postgres' | 'temporal',
    message: string,
    readonly retryAfterSeconds: number | null = 5,
    /** The answer's code when `<dependency>_unavailable` would say less (`decision_pending`: handed over, may still apply). */
    readonly code: string = `${dependency}_unavailable`,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: DomainIssue[] };
}

export const errorBody = (code: string, message: string, details: DomainIssue[] = []): ErrorBody => ({
  error: { code, message, details },
});
