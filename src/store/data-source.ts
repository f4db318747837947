import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, MigrationExecutor } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import type { ClientBase } from 'pg';
import { sqlState } from './sql-state';

/** How long a pooled connection lives before it is replaced (see createDataSource). */
export const CONNECTION_LIFETIME_S = 300;

export interface DataSourceOptions {
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** How long a query may wait for a free connection before it fails (default 5 s). */
  connectionTimeoutMs?: number;
  applicationName?: string;
  /**
   * How long PostgreSQL lets one statement run before it stops it
   * (statement_timeout, SQLSTATE 57014), set on each connection as it opens;
   * 0 or absent: Kairos sets none (the database's or role's own applies).
   * Migrations run without it (a table rewrite, a wait for another
   * instance's migration).
   */
  statementTimeoutMs?: number;
  /** How long a pooled connection lives before it is replaced (default CONNECTION_LIFETIME_S; tests shorten it). */
  connectionLifetimeS?: number;
}

/** The session's statement_timeout ($1: '60000ms', '0'); a parameter, unlike SET. */
const STATEMENT_TIMEOUT = `set_config('statement_timeout', $1, false)`;
const SET_STATEMENT_TIMEOUT = `select ${STATEMENT_TIMEOUT}`;

/**
 * Every connection's session runs in UTC, whatever the server's, database's
 * or role's default: PostgreSQL adds an interval's days and months to a
 * timestamptz in the session's zone, so a coupon's `validFor` of P1D would
 * last 23 or 25 hours across a clock change on a server in Europe/Berlin.
 * UTC makes it 24, as the journeys' own durations are (src/domain/durations.ts).
 */
const SET_UTC = `select set_config('TimeZone', 'UTC', false)`;

/** What each connection runs as it opens (pg-pool's onConnect). */
function sessionSettings(statementTimeoutMs: number | undefined): (client: ClientBase) => Promise<unknown> {
  if (!statementTimeoutMs) return (client) => client.query(SET_UTC);
  const timeout = `${Math.trunc(statementTimeoutMs)}ms`;
  return (client) => client.query(`${SET_UTC}, ${STATEMENT_TIMEOUT}`, [timeout]);
}

/** Migrations, never `synchronize`: the schema a test sees is the schema production gets. */
export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    // Plain reads and writes go through entities; the ledger, the outbox and
    // the analytics keep their SQL. The schema lives in the migrations only:
    // test/store/entity-schema.test.ts fails when an entity drifts from it.
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: opts.applicationName ?? 'kairos',
    extra: {
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5000,
      // A connection is replaced after its lifetime (CONNECTION_LIFETIME_S): one opened while the database was read-only
      // (default_transaction_read_only, set for new sessions only) keeps refusing writes after it is switched
      // back, and one kept to a host a failover demoted stays there; neither would ever be replaced otherwise.
      maxLifetimeSeconds: opts.connectionLifetimeS ?? CONNECTION_LIFETIME_S,
      // Set by a statement once each connection opens (pg-pool's onConnect), not as pg's statement_timeout or
      // options: pg sends those in the startup message, which PgBouncer refuses ("unsupported startup parameter").
      onConnect: sessionSettings(opts.statementTimeoutMs),
    },
  });
}

export async function openDataSource(opts: DataSourceOptions & { migrate?: boolean | MigrateOptions }): Promise<DataSource> {
  const ds = createDataSource(opts);
  try {
    await ds.initialize();
  } catch (err) {
    // The driver says "connect ECONNREFUSED 127.0.0.1:5432" or "database ... does not exist", not which setting to look at.
    throw new Error(`PostgreSQL at ${whereIs(opts.url)} (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  if (opts.migrate) {
    try {
      await migrate(ds, opts.migrate === true ? {} : opts.migrate);
    } catch (err) {
      await ds.destroy().catch(() => undefined);
      throw err;
    }
  }
  return ds;
}

/** host:port/database of a connection URL, without its user or password. */
function whereIs(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}

/** Any number of API and worker processes may boot at once; an advisory lock lets one migrate. */
const MIGRATION_LOCK = 7_342_001;

/**
 * How a migration waits for the locks it needs. A schema change waiting for
 * a table's lock (behind a long transaction, say) holds up every query on
 * that table queued after it; so it gives way after `lockTimeoutMs` and tries
 * again after `pauseMs`, letting those queries through meanwhile. A future
 * migration that builds an index CONCURRENTLY (outside a transaction) must
 * set lock_timeout to 0 first: its waits for older transactions count as
 * lock waits, and one that gives way leaves an invalid index behind.
 */
export interface MigrateOptions {
  /** How long one attempt waits for a lock (PostgreSQL's lock_timeout); default 5 s. */
  lockTimeoutMs?: number;
  /** Attempts before booting fails; default 12 (about two minutes with the defaults). */
  attempts?: number;
  /** Pause between attempts; default 5 s. */
  pauseMs?: number;
  /** Told of each attempt that gave way (to log it). */
  onLockTimeout?: (attempt: number, attempts: number) => void;
}

/** PostgreSQL's lock_not_available: a statement gave up waiting for a lock (lock_timeout). */
const LOCK_NOT_AVAILABLE = '55P03';

export async function migrate(ds: DataSource, opts: MigrateOptions = {}): Promise<void> {
  const { lockTimeoutMs = 5_000, attempts = 12, pauseMs = 5_000, onLockTimeout } = opts;
  const runner = ds.createQueryRunner();
  await runner.connect();
  let restoreTimeout: string | null = null;
  try {
    // Not the pool's statement_timeout: waiting for another instance's migrations, or rewriting a large table, takes as
    // long as it takes. Put back afterwards (RESET would drop a timeout set on the connection to the role's default).
    const [{ statement_timeout: poolTimeout }]: Array<{ statement_timeout: string }> = await runner.query('show statement_timeout');
    restoreTimeout = poolTimeout;
    await runner.query(SET_STATEMENT_TIMEOUT, ['0']);
    await runner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // On this connection only, which runs every migration (each in its own transaction): the application's queries keep no lock_timeout.
    await runner.query(`select set_config('lock_timeout', $1, false)`, [`${lockTimeoutMs}ms`]);
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'each';
    for (let attempt = 1; ; attempt++) {
      try {
        await executor.executePendingMigrations();
        return;
      } catch (err) {
        if (sqlState(err) !== LOCK_NOT_AVAILABLE) throw err;
        if (attempt >= attempts) {
          throw new Error(
            `A migration could not take the locks it needs in ${attempts} attempts of ${lockTimeoutMs} ms each: a long-running transaction holds one of its tables ` +
              `(pg_stat_activity shows it). Start again once it has ended. (${(err as Error).message})`,
            { cause: err },
          );
        }
        // The failed migration's transaction is rolled back; the ones before it are committed and are not run again.
        onLockTimeout?.(attempt, attempts);
        await sleep(pauseMs);
      }
    }
  } finally {
    await runner.query('reset lock_timeout').catch(() => undefined);
    if (restoreTimeout !== null) await runner.query(SET_STATEMENT_TIMEOUT, [restoreTimeout]).catch(() => undefined);
    await runner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
