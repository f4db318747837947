import { Client as PgClient } from 'pg';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * Review 59, finding 1: the API's pool taken whole by slow queries (analytics reads, batches waiting on a lock)
 * while PostgreSQL answers at once. The probes check PostgreSQL on a connection of their own, so the instance
 * stays ready: a busy pool is not a database that does not answer.
 */
describe('/readyz and /health while every pooled connection is busy', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  it('stay ready, PostgreSQL ok, well within an orchestrator probe timeout', async () => {
    const ds = sut.kairos.dataSource;
    // One more than the pool holds (10): the rest wait for a free connection.
    const busy = Array.from({ length: 11 }, () => ds.query('select pg_sleep(3)'));
    try {
      // The pool is full once PostgreSQL shows its ten sleeps (asked on a connection outside it).
      const watcher = new PgClient({ connectionString: sut.db.url });
      await watcher.connect();
      try {
        const started = Date.now();
        for (;;) {
          const { rows } = await watcher.query(`select count(*)::int as n from pg_stat_activity where query = 'select pg_sleep(3)' and state = 'active'`);
          if (rows[0].n >= 10) break;
          if (Date.now() - started > 2_000) throw new Error(`only ${rows[0].n} of the pool's connections are busy`);
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await watcher.end();
      }
      const [ready, health] = await Promise.all([sut.request('GET', '/readyz'), sut.request('GET', '/health')]);
      expect({ status: ready.status, body: ready.body }).toMatchObject({ status: 200, body: { status: 'ready', checks: { postgres: { ok: true } } } });
      expect(health.body).toMatchObject({ ready: true, checks: { postgres: { ok: true } } });
    } finally {
      await Promise.allSettled(busy);
    }
  });
});
