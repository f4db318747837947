/**
 * Dependency checks shared by the API's and the worker's health endpoints.
 * A check answers ok or not, with its latency and a short reason that names
 * no host, port or driver message (those belong in the logs, not on an
 * unauthenticated endpoint).
 */
/** Why a check failed: the API's health schemas list the same (health.schemas.ts reads it from here). */
export const CHECK_REASONS = ['timeout', 'unreachable', 'read-only'] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  /** Why not ok; `read-only` is PostgreSQL's only. */
  reason?: CheckReason;
}

export const CHECK_TIMEOUT_MS = 2000;

class CheckTimeout extends Error {}

/** Thrown by a check whose dependency answers but cannot take writes. */
export class ReadOnlyDependency extends Error {}

/** Anything with TypeORM's DataSource.query, so the API and the worker share the check. */
interface Queryable {
  query(sql: string): Promise<unknown>;
}

/**
 * PostgreSQL answers and takes writes. A standby left behind by a failover,
 * or `default_transaction_read_only = on` set for maintenance, answers
 * `select 1` but refuses every write (SQLSTATE 25006): such an instance
 * cannot accept an event, so it is not ready.
 */
export async function checkPostgresWritable(db: Queryable): Promise<void> {
  const rows = (await db.query(`select current_setting('transaction_read_only') as read_only`)) as Array<{ read_only?: unknown }>;
  if (rows[0]?.read_only === 'on') throw new ReadOnlyDependency('PostgreSQL is read-only');
}

export async function runCheck(fn: () => Promise<unknown>, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, reason: reasonOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(err: unknown): CheckReason {
  if (err instanceof CheckTimeout) return 'timeout';
  return err instanceof ReadOnlyDependency ? 'read-only' : 'unreachable';
}
