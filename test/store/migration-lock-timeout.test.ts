import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrate } from '../../src/store/data-source';
import { migrations } from '../../src/store/migrations';
import { eventually } from '../support/system-under-test';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** A later release's schema change on a busy table: it needs signal_outbox's exclusive lock. */
class AddOutboxProbe1999999999999 implements MigrationInterface {
  name = 'AddOutboxProbe1999999999999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox add column probe integer`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table signal_outbox drop column probe`);
  }
}

/**
 * A migration that waits for a table's lock (here behind a transaction that
 * reads the table and stays open) gives way after its lock timeout and tries
 * again, so the queries that arrive meanwhile are not queued behind it.
 */
describe('migrations waiting for a lock', () => {
  let db: TestDatabase;
  let next: DataSource;
  const clients: Client[] = [];

  const connect = async (statementTimeoutMs?: number) => {
    const c = new Client({ connectionString: db.url, ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}) });
    await c.connect();
    clients.push(c);
    return c;
  };
  const probeColumn = async () =>
    (await db.dataSource.query(`select count(*)::int as n from information_schema.columns where table_name = 'signal_outbox' and column_name = 'probe'`))[0].n;

  beforeEach(async () => {
    db = await createTestDatabase();
    next = new DataSource({ type: 'postgres', url: db.url, migrations: [...migrations, AddOutboxProbe1999999999999], extra: { max: 2 } });
    await next.initialize();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await next?.destroy();
    await db?.drop();
  });

  it('gives way to the queries behind it while a long transaction holds the table, then applies once it ends', async () => {
    const holder = await connect();
    await holder.query('begin');
    await holder.query('select count(*) from signal_outbox');

    let gaveWay = 0;
    const migrating = migrate(next, { lockTimeoutMs: 200, attempts: 10_000, pauseMs: 50, onLockTimeout: () => gaveWay++ });
    await eventually(async () => (gaveWay >= 2 ? true : undefined), 30_000);

    // Without the lock timeout, this read would queue behind the waiting ALTER until the holder ends (its statement timeout says so).
    const reader = await connect(20_000);
    for (let i = 0; i < 5; i++) expect((await reader.query('select count(*)::int as n from signal_outbox')).rows).toEqual([{ n: 0 }]);
    expect(await probeColumn()).toBe(0);

    await holder.query('commit');
    await migrating;
    expect(await probeColumn()).toBe(1);
    // The migration connection went back to the pool without its lock timeout.
    expect(await next.query(`show lock_timeout`)).toEqual([{ lock_timeout: '0' }]);
  });

  it('fails with a message that says what holds it up once its attempts are spent', async () => {
    const holder = await connect();
    await holder.query('begin');
    await holder.query('select count(*) from signal_outbox');

    const failed = await migrate(next, { lockTimeoutMs: 100, attempts: 3, pauseMs: 10 }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/^A migration could not take the locks it needs in 3 attempts of 100 ms each: a long-running transaction holds one of its tables/);
    await holder.query('rollback');
    expect(await probeColumn()).toBe(0);
  });
});
