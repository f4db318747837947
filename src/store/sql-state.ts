/** A PostgreSQL error's SQLSTATE, from pg's error or TypeORM's wrapper of it (`driverError`). */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The first SQLSTATE matching `pattern` in an error, in TypeORM's wrapper of
 * it (`driverError`) or in its causes (a few levels down); null if none. For
 * classes of errors (`/^22/`: a value a column refuses) wherever a caller
 * wrapped them.
 */
export function sqlStateMatching(err: unknown, pattern: RegExp, depth = 0): string | null {
  if (typeof err !== 'object' || err === null || depth > 4) return null;
  const e = err as { code?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && pattern.test(e.code)) return e.code;
  return sqlStateMatching(e.driverError, pattern, depth + 1) ?? sqlStateMatching(e.cause, pattern, depth + 1);
}
