import { sqlStateMatching } from '../../store/sql-state';

/**
 * PostgreSQL's data-exception class (SQLSTATE 22xxx): a value the client sent
 * that a column or function cannot take (out of range, bad text, bad
 * date/time). The schemas refuse these first with the exact path; this is the
 * second line, so that one they miss is a 400 and not a 500. TypeORM wraps
 * query errors (original in `driverError`).
 */
export function postgresDataException(err: unknown): string | null {
  return sqlStateMatching(err, /^22[0-9A-Z]{3}$/);
}

/** 22021 (invalid byte sequence, e.g. NUL in text) and 22P05 (untranslatable character, \u0000 in jsonb): text that cannot be stored. */
export const UNSTORABLE_TEXT = new Set(['22021', '22P05']);
