import os from 'node:os';
import { Client } from 'pg';
import { providePostgres } from '../src/store/postgres';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/**
 * `npm start` without DATABASE_URL uses the PostgreSQL answering on
 * 127.0.0.1:5432 (trust auth, as on these machines) and creates its database
 * there when missing. Checked under a database name of the test's own, so
 * that no test writes into a developer's `kairos`.
 */
describe('npm start finds the local PostgreSQL', () => {
  const name = `kairos_local_${process.pid}`;
  afterAll(async () => {
    const client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  it('creates the database when missing, and uses it as it is the next time', async () => {
    expect(await databaseExists(name)).toBe(false);
    const first = await providePostgres({ dataDir: os.tmpdir(), log: () => undefined, database: name });
    expect({ url: first.url, source: first.source }).toEqual({ url: `postgres://postgres@127.0.0.1:5432/${name}`, source: 'local server' });
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query('create table kept (v int)');
    await client.end();
    const second = await providePostgres({ dataDir: os.tmpdir(), log: () => undefined, database: name });
    expect(second.url).toBe(first.url);
    const again = new Client({ connectionString: second.url });
    await again.connect();
    expect((await again.query('select count(*)::int as n from kept')).rows).toEqual([{ n: 0 }]);
    await again.end();
  });

  it('takes DATABASE_URL as it is, without touching the local server', async () => {
    const given = await providePostgres({ databaseUrl: 'postgres://someone@db.internal:5432/kairos', dataDir: os.tmpdir(), log: () => undefined });
    expect({ url: given.url, source: given.source }).toEqual({ url: 'postgres://someone@db.internal:5432/kairos', source: 'DATABASE_URL' });
  });
});
