import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { composeKairos, type Kairos } from '../../src/composition/compose-kairos';
import { loadConfig } from '../../src/config/config';
import { openDataSource } from '../../src/store/data-source';
import { CampaignsRepository } from '../../src/store/repositories/campaigns.repository';
import { eventually } from '../support/system-under-test';
import { sharedWorkflowBundle } from '../support/shared-workflow-bundle';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * A journey whose first lookup outlasts its workflow task (PostgreSQL away
 * when it starts): the SDK completes the task while the local activity still
 * retries, so what follows the lookup lands in a later task. Such a history
 * must replay. (It did not while a patch was asked for after the lookup:
 * found by `npm run chaos`, PostgreSQL down during the marathon.)
 */
describe('a journey that starts while PostgreSQL is away', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let proxied: DataSource;
  let kairos: Kairos;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `kairos-slow-start-${randomBytes(4).toString('hex')}`;
  const address = () => process.env.KAIROS_TEST_TEMPORAL_ADDRESS!;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Installed already by another suite in this process.
    }
    db = await createTestDatabase();
    await new CampaignsRepository(db.dataSource).saveActive('slow-start', {
      key: 'slow-start',
      name: 'slow start',
      entry: { on: 'visit' },
      initial: 'visited',
      states: { visited: { end: true } },
    });
    const url = new URL(db.url);
    proxy = new TcpProxy(Number(url.port || 5432), url.hostname);
    await proxy.start();
    url.port = String(proxy.port);
    proxied = await openDataSource({ url: url.toString(), poolSize: 4 });
    const config = loadConfig({ TEMPORAL_ADDRESS: address(), DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
    kairos = await composeKairos(config, { dataSource: proxied });
    worker = await kairos.createWorker({ workflowBundlePath: sharedWorkflowBundle() });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await kairos?.close();
    await proxied?.destroy().catch(() => undefined);
    await proxy?.stop();
    await db?.drop();
  });

  it('asks for every patch before its first lookup, and replays when the lookup spans workflow tasks', async () => {
    const { journeys } = kairos;
    const workflowId = journeys.idOf('slow-start', `slow-${taskQueue}`);
    await proxy.stop();
    await journeys.deliver({
      kind: 'start',
      workflowId,
      campaignKey: 'slow-start',
      campaignVersion: 1,
      userId: `slow-${taskQueue}`,
      event: { version: 1, id: `v-${taskQueue}`, type: 'visit', userId: `slow-${taskQueue}`, occurredAt: new Date().toISOString(), properties: {} },
    });
    const handle = kairos.client.workflow.getHandle(workflowId);
    // The lookup retries past the journey's workflow task timeout (30 s), so the SDK reports the task meanwhile
    // (at about 80% of it): once the history holds that completed task, the lookup can have its database back.
    const taskCompleted = async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.workflowTaskCompletedEventAttributes);
    await eventually(async () => ((await taskCompleted()) ? true : undefined), 90_000);
    await proxy.start();
    await eventually(async () => ((await journeys.state(workflowId).catch(() => undefined))?.status === 'ended' ? true : undefined), 60_000);
    await handle.result();

    const history = await handle.fetchHistory();
    const kinds = (history.events ?? []).flatMap((e) => {
      const m = e.markerRecordedEventAttributes;
      if (!m) return e.workflowTaskCompletedEventAttributes ? ['task'] : [];
      return [m.markerName === 'core_patch' ? 'patch' : 'lookup'];
    });
    // Every patch marker in the first task, before the lookup, whose result came in a later task.
    const beforeLookup = kinds.slice(0, kinds.indexOf('lookup'));
    expect(beforeLookup.slice(0, 2)).toEqual(['task', 'patch']);
    expect(kinds.lastIndexOf('patch')).toBeLessThan(beforeLookup.indexOf('task', 1));
    expect(beforeLookup.filter((k) => k === 'task').length).toBeGreaterThan(1);

    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows') }, history)).resolves.toBeUndefined();
  }, 200_000);
});
