import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { toHttpError } from '../../src/api/common/http-error.filter';
import { composeKairos } from '../../src/composition/compose-kairos';
import { loadConfig } from '../../src/config/config';
import { migrate, openDataSource } from '../../src/store/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The advisory lock migrations take (data-source.ts): held here as another instance's migrations would hold it. */
const MIGRATION_LOCK = 7_342_001;

describe("PostgreSQL's statement timeout (DATABASE_STATEMENT_TIMEOUT_MS)", () => {
  let db: TestDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((ds) => ds.destroy().catch(() => undefined)));
    await db?.drop();
  });

  const open = async (statementTimeoutMs: number) => {
    const ds = await openDataSource({ url: db.url, statementTimeoutMs, poolSize: 2 });
    opened.push(ds);
    return ds;
  };

  it('stops a query that runs past it, and the API answers that 503 postgres_timeout with Retry-After', async () => {
    const ds = await open(300);
    const err: unknown = await ds.query('select pg_sleep(3)').catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    const answer = toHttpError(err);
    expect({ status: answer.status, code: answer.body.error.code, headers: answer.headers }).toEqual({ status: 503, code: 'postgres_timeout', headers: { 'Retry-After': '5' } });
    expect(answer.body.error.message).toContain('DATABASE_STATEMENT_TIMEOUT_MS');
    // The connection is fine afterwards: a quick query answers.
    expect(await ds.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('does not stop migrations waiting for another instance to finish its own', async () => {
    const ds = await open(300);
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const released = new Promise<void>((resolve) => setTimeout(resolve, 1_500)).then(() => other.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]));
      await migrate(ds);
      await released;
      // The connection that migrated went back to the pool with the timeout it opened with.
      const settings: Array<{ statement_timeout: string }> = await Promise.all([ds.query('show statement_timeout'), ds.query('show statement_timeout')]).then((rows) => rows.flat());
      expect(settings.map((s) => s.statement_timeout)).toEqual(['300ms', '300ms']);
    } finally {
      await other.end();
    }
  });

  it('is on every connection the API and the worker compose, one minute unless set, and off with 0', async () => {
    const shown = async (env: Record<string, string>) => {
      const kairos = await composeKairos(loadConfig({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_LEVEL: 'warn', ...env }));
      try {
        const [row]: Array<{ statement_timeout: string }> = await kairos.dataSource.query('show statement_timeout');
        return row.statement_timeout;
      } finally {
        await kairos.close();
      }
    };
    expect(await shown({})).toBe('1min');
    expect(await shown({ DATABASE_STATEMENT_TIMEOUT_MS: '1500' })).toBe('1500ms');
    expect(await shown({ DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toBe('0');
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '3600001' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });
});
