import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DataSourceOptions {
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** How long a query may wait for a free connection before it fails (default 5 s). */
  connectionTimeoutMs?: number;
  applicationName?: string;
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
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5000 },
  });
}

export async function openDataSource(opts: DataSourceOptions & { migrate?: boolean }): Promise<DataSource> {
  const ds = createDataSource(opts);
  try {
    await ds.initialize();
  } catch (err) {
    // The driver says "connect ECONNREFUSED 127.0.0.1:5432" or "database ... does not exist", not which setting to look at.
    throw new Error(`PostgreSQL at ${whereIs(opts.url)} (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  if (opts.migrate) await migrate(ds);
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

export async function migrate(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
