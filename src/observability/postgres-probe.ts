import { type ClientBase, Pool, type PoolConfig } from 'pg';
import { type CheckResult, checkPostgresWritable, runCheck } from './checks';

/** Anything with TypeORM's DataSource.query; a DataSource also has its pg pool (driver.master), whose settings the probe copies. */
interface ProbedDatabase {
  query(sql: string): Promise<unknown>;
  driver?: unknown;
}

/** How long an unused probe connection is kept, and how long one lives: a session opened while the database was read-only stays so. */
const PROBE_IDLE_MS = 10_000;
const PROBE_LIFETIME_S = 60;

/**
 * The readiness probes' PostgreSQL check (checkPostgresWritable), on a
 * connection of its own: the application's pool (10 connections) may be
 * taken whole by slow requests, the relay and the sweeps while PostgreSQL
 * answers at once, and a probe waiting there would read as `timeout`, take
 * the instance out of service, and move its traffic to instances that
 * saturate the same way. A probe also no longer takes a pooled connection
 * from ingestion: /readyz and /health are public.
 *
 * Concurrent checks share one (an anonymous loop on /health, an
 * orchestrator's and a person's probes at once): one query at a time, on one
 * connection, whatever the request rate. Each check after the one in flight
 * asks again, so a probe never reports an earlier state.
 *
 * A database without TypeORM's pg pool (tests' fakes) is asked through its own query.
 */
export class PostgresProbe {
  private pool: Pool | null = null;
  private inFlight: Promise<CheckResult> | null = null;
  private closed = false;

  constructor(
    private readonly db: ProbedDatabase,
    /** How long a check waits for its answer, the connection's opening included; no answer by then is `timeout`. */
    private readonly timeoutMs: number,
  ) {}

  check(): Promise<CheckResult> {
    if (!this.inFlight) {
      this.inFlight = runCheck(() => checkPostgresWritable(this.queryable()), this.timeoutMs).finally(() => (this.inFlight = null));
    }
    return this.inFlight;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  private queryable(): { query(sql: string): Promise<unknown> } {
    const pool = this.probePool();
    if (!pool) return this.db;
    return { query: async (sql) => (await pool.query(sql)).rows };
  }

  /** One connection with the application pool's settings (address, TLS, login, application name), made on first use. */
  private probePool(): Pool | null {
    if (this.pool || this.closed) return this.pool;
    const options = (this.db.driver as { master?: { options?: PoolConfig } } | undefined)?.master?.options;
    if (!options) return null;
    const statementTimeout = `${Math.max(1, Math.trunc(this.timeoutMs))}ms`;
    const settings: Record<string, unknown> = {
      ...options,
      max: 1,
      // Past the check's own timeout, so that a connection that does not open reads as `timeout` (runCheck's), not as an error.
      connectionTimeoutMillis: this.timeoutMs + 200,
      idleTimeoutMillis: PROBE_IDLE_MS,
      maxLifetimeSeconds: PROBE_LIFETIME_S,
      // Not the application's session settings: the probe's one statement needs no time zone, and one left running
      // by a database that stalls is stopped by PostgreSQL soon after the probe gave up on it.
      onConnect: (client: ClientBase) => client.query(`select set_config('statement_timeout', $1, false)`, [statementTimeout]),
    };
    // pg-pool's onConnect and maxLifetimeSeconds, which @types/pg does not list (data-source.ts passes them as TypeORM's `extra`).
    this.pool = new Pool(settings as PoolConfig);
    // A connection lost while idle (a restart, a failover): pg-pool drops it; unheard, the error would end the process.
    this.pool.on('error', () => undefined);
    return this.pool;
  }
}
