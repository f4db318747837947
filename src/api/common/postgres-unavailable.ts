/**
 * Whether an error means PostgreSQL cannot be reached (as opposed to a bad
 * query): the API answers those with 503 and Retry-After. TypeORM wraps
 * query errors in QueryFailedError (codes copied, original in `driverError`);
 * pg and its pool throw plain errors when a connection cannot be had or dies.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATE: admin/crash shutdown, cannot connect now, the database dropped,
 * an idle session ended by the server (57P0x); a read-only transaction
 * (25006: a standby left behind by a failover, or
 * default_transaction_read_only set for maintenance: writes come back once
 * the primary does, and /readyz says not-ready meanwhile); the database gone or the credentials refused (3D000, 28000,
 * 28P01: a dropped database, a rotated password; no request can fix them,
 * and /readyz says so too). Class 08 is every connection exception, class
 * 53 every shortage of resources (disk full, out of memory, too many connections).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '25006', '3D000', '28000', '28P01']);
const SQLSTATE_CLASSES = /^(08|53)[0-9A-Z]{3}$/;

const MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Cannot use a pool after calling end on the pool/,
];

export function isPostgresUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code) || SQLSTATE_CLASSES.test(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isPostgresUnavailable(x, depth + 1))) return true;
  return isPostgresUnavailable(e.driverError, depth + 1) || isPostgresUnavailable(e.cause, depth + 1);
}
