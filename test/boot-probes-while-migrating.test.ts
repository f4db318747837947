import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startSystem, type RunningSystem, type SystemParts } from '../src/system';
import { retentionScheduleId } from '../src/workflows/retention.workflow';
import { freePort } from './support/free-port';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** src/store/data-source.ts's MIGRATION_LOCK: the advisory lock every booting process takes to migrate. */
const MIGRATION_LOCK = 7_342_001;

type Probe = { status: number; body: Record<string, unknown> } | { refused: string };
async function probe(url: string): Promise<Probe> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch (err) {
    return { refused: String((err as Error).cause ?? err) };
  }
}

/**
 * Review 61, finding 1: a process that migrates (or waits for another that
 * does, behind the advisory lock) for minutes must answer its liveness probe
 * all along, or the orchestrator kills it and the next pod starts the
 * migration over. Here another connection holds the migration lock, as an
 * instance migrating would; the booting process answers /livez 200 and
 * /readyz 503 `migrating` within seconds, and once the lock is let go it
 * serves on the same port with no moment in which a connection is refused.
 */
describe('probes while the boot waits for migrations', () => {
  let db: TestDatabase;
  let temporal: Connection;
  const taskQueue = `kairos-boot-probes-${process.pid}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await Connection.connect({ address: process.env.KAIROS_TEST_TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await new Client({ connection: temporal, namespace: 'default' }).schedule.getHandle(retentionScheduleId(taskQueue)).delete().catch(() => undefined);
    await temporal?.close();
    await db?.drop();
  });

  const cases: Array<[string, SystemParts, (port: number) => Record<string, string>]> = [
    ['the API', { api: true, worker: false, embedded: false }, (port) => ({ PORT: String(port), API_KEYS: `k-${randomBytes(12).toString('hex')}:ingest` })],
    ['the worker', { api: false, worker: true, embedded: false }, (port) => ({ WORKER_METRICS_PORT: String(port), WEBHOOK_UNSIGNED: 'allow' })],
  ];

  it.each(cases)('%s answers /livez 200 and /readyz 503 "migrating" within seconds while the lock is held, then serves on the same port without a refused connection', async (_name, parts, portEnv) => {
    const lock = new PgClient({ connectionString: db.url });
    await lock.connect();
    let booting: Promise<RunningSystem> | undefined;
    let polling = true;
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const port = await freePort();
      const config = loadConfig(
        {
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: process.env.KAIROS_TEST_TEMPORAL_ADDRESS!,
          TEMPORAL_TASK_QUEUE: taskQueue,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          ...portEnv(port),
        },
        parts,
      );
      const started = Date.now();
      booting = startSystem(config, parts, createLogger('silent'));
      const boot = booting;
      let settled = false;
      void boot.then(
        () => (settled = true),
        () => (settled = true),
      );
      const base = `http://127.0.0.1:${port}`;

      const live = await eventually(async () => {
        const answer = await probe(`${base}/livez`);
        return 'status' in answer ? answer : undefined;
      }, 5_000);
      expect(live).toEqual({ status: 200, body: { status: 'ok' } });
      expect(Date.now() - started).toBeLessThan(5_000);
      const notReady = await eventually(async () => {
        const answer = await probe(`${base}/readyz`);
        return 'body' in answer && answer.body.reason === 'migrating' ? answer : undefined;
      }, 10_000);
      expect(notReady).toEqual({ status: 503, body: expect.objectContaining({ status: 'not-ready', reason: 'migrating' }) });

      // Held: the boot waits, and the probes keep answering meanwhile.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(settled).toBe(false);
      expect(await probe(`${base}/livez`)).toEqual({ status: 200, body: { status: 'ok' } });

      // From the moment the lock goes until the process is ready, every probe is answered (never refused).
      const answers: Probe[] = [];
      const poller = (async () => {
        while (polling) {
          answers.push(await probe(`${base}/livez`));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      await boot;
      const ready = await eventually(async () => {
        const answer = await probe(`${base}/readyz`);
        return 'status' in answer && answer.status === 200 ? answer : undefined;
      }, 60_000);
      expect(ready.body).toMatchObject({ status: 'ready' });
      polling = false;
      await poller;
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.filter((a) => !('status' in a) || a.status !== 200)).toEqual([]);
    } finally {
      polling = false;
      // The lock goes with its connection; a boot still waiting for it then finishes, and is stopped.
      await lock.end();
      await booting?.then((s) => s.stop(), () => undefined);
    }
  });
});
