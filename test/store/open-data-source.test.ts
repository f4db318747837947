import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/store/data-source';
import { eventually } from '../support/system-under-test';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('openDataSource names the database it could not open', () => {
  it('says PostgreSQL, where, and the setting, without the password', async () => {
    const err: unknown = await openDataSource({ url: 'postgres://kairos:s3cret-pw@127.0.0.1:1/kairos_nowhere', connectionTimeoutMs: 2_000 }).catch((e) => e);
    expect((err as Error).message).toMatch(/^PostgreSQL at 127\.0\.0\.1:1\/kairos_nowhere \(DATABASE_URL\): .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('names a database that does not exist on a server that answers', async () => {
    const db = await createTestDatabase();
    try {
      const missing = db.url.replace(/\/[^/]*$/, '/kairos_missing_database');
      const err: unknown = await openDataSource({ url: missing }).catch((e) => e);
      expect((err as Error).message).toMatch(/^PostgreSQL at [^ ]+\/kairos_missing_database \(DATABASE_URL\): database "kairos_missing_database" does not exist/);
    } finally {
      await db.drop();
    }
  });
});

describe('every connection runs in UTC, whatever the database says', () => {
  let db: TestDatabase;
  const opened: DataSource[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    // The default a server set up by initdb on a machine in Germany, or a DBA, gives every new session.
    const [{ name }]: Array<{ name: string }> = await db.dataSource.query('select current_database() as name');
    await db.dataSource.query(`alter database "${name}" set timezone = 'Europe/Berlin'`);
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((ds) => ds.destroy().catch(() => undefined)));
    await db?.drop();
  });

  const open = async (statementTimeoutMs?: number) => {
    const ds = await openDataSource({ url: db.url, statementTimeoutMs, poolSize: 2 });
    opened.push(ds);
    return ds;
  };
  /** Two queries at once: each on its own connection of the pool. */
  const onBothConnections = async <T>(ds: DataSource, sql: string): Promise<T[]> => {
    const runner = [ds.createQueryRunner(), ds.createQueryRunner()];
    try {
      return await Promise.all(runner.map(async (r) => ((await r.query(sql)) as T[])[0]));
    } finally {
      await Promise.all(runner.map((r) => r.release()));
    }
  };

  it('is the zone of every connection, opened without a statement timeout or with one (which it keeps)', async () => {
    const shown = (ds: DataSource) => onBothConnections<{ zone: string; timeout: string }>(ds, `select current_setting('TimeZone') as zone, current_setting('statement_timeout') as timeout`);
    expect((await shown(await open())).map((s) => s.zone)).toEqual(['UTC', 'UTC']);
    expect(await shown(await open(60_000))).toEqual([
      { zone: 'UTC', timeout: '1min' },
      { zone: 'UTC', timeout: '1min' },
    ]);
  });

  it('makes a day a coupon is valid for 24 hours across a clock change, as the issue function adds it (now() + valid_for)', async () => {
    const ds = await open();
    // Europe/Berlin goes to summer time on 2027-03-28 at 01:00Z: in its zone this day would last 23 hours.
    const [{ hours }]: Array<{ hours: number }> = await ds.query(
      `select extract(epoch from (timestamptz '2027-03-27 12:00Z' + interval 'P1D') - timestamptz '2027-03-27 12:00Z')::float8 / 3600 as hours`,
    );
    expect(hours).toBe(24);
  });
});

describe('pooled connections are replaced after their lifetime', () => {
  it('takes writes again once the database is no longer read-only, though the switch reaches new sessions only', async () => {
    const db = await createTestDatabase();
    const [{ name }]: Array<{ name: string }> = await db.dataSource.query('select current_database() as name');
    const admin = new PgClient({ connectionString: Object.assign(new URL(db.url), { pathname: '/postgres' }).toString() });
    await admin.connect();
    const ds = await openDataSource({ url: db.url, poolSize: 1, connectionLifetimeS: 1 });
    const write = () =>
      ds.query(`create temporary table if not exists t (n int)`).then(
        () => 'written',
        (err: { code?: string }) => err.code ?? 'failed',
      );
    try {
      // Read-only for new sessions, and the pool's connection ended so that it opens one of those.
      await admin.query(`alter database "${name}" set default_transaction_read_only = on`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      expect(await eventually(async () => ((await write()) === '25006' ? '25006' : undefined), 20_000)).toBe('25006');
      // Switched back for new sessions only: the connection opened meanwhile is replaced, and writes go through.
      await admin.query(`alter database "${name}" set default_transaction_read_only = off`);
      expect(await eventually(async () => ((await write()) === 'written' ? 'written' : undefined), 20_000)).toBe('written');
    } finally {
      await ds.destroy().catch(() => undefined);
      await admin.end();
      await db.drop();
    }
  });
});
