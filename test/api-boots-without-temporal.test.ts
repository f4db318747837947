import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { resolveTemporalCli } from '../src/provisioning/cli-binary';
import { startDevServer, type DevServer } from '../src/provisioning/dev-server';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { TransitionsRepository } from '../src/store/repositories/transitions.repository';
import { startSystem, type RunningSystem } from '../src/system';
import { LISTENER_APPLICATION_NAME } from '../src/api/routing/change-listener';
import { isConnectivityError, TemporalUnreachableError } from '../src/temporal/connectivity';
import { JourneyGateway } from '../src/temporal/journey-gateway';
import { Registry } from 'prom-client';
import { BatchSchedules } from '../src/api/campaigns/batch-schedules.service';
import { CampaignTemporalSweep } from '../src/api/campaigns/campaign-temporal-sweep';
import { PlanStore } from '../src/store/plan-store';
import { JourneyContextRepository } from '../src/store/repositories/journey-context.repository';
import { batchScheduleId } from '../src/workflows/batch-entry.workflow';
import { freePort } from './support/free-port';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const nightly = { key: 'nightly', name: 'Nightly', entry: { cron: '0 9 * * *' }, initial: 'done', states: { done: { end: true } } };
const welcome = { key: 'welcome', name: 'Welcome', entry: { on: 'order.completed' }, initial: 'waiting', states: { waiting: { transitions: [{ to: 'paid', on: 'order.paid' }] }, paid: { end: true } } };

/**
 * `npm run api` (the image's API) while Temporal is away: ingestion keeps
 * accepting through the outbox, so a restart during an outage must not stop
 * it. The server that comes back here is a new cluster without Kairos's
 * search attributes: no journey may start before the API has registered them
 * (Temporal would refuse such a start for good).
 */
describe('the API alone, started while Temporal is away', () => {
  let db: TestDatabase | undefined;
  let system: RunningSystem | undefined;
  let temporal: DevServer | undefined;
  let connection: Connection | undefined;
  afterAll(async () => {
    await system?.stop();
    await connection?.close();
    await temporal?.stop();
    await db?.drop();
  });

  it('boots, accepts events into the outbox, reports Temporal down, and starts the journeys once a new cluster answers', async () => {
    db = await createTestDatabase();
    await new CampaignsRepository(db.dataSource).saveActive(welcome.key, welcome);
    await new CampaignsRepository(db.dataSource).saveActive(nightly.key, nightly);
    const [temporalPort, apiPort] = [await freePort(), await freePort()];
    const address = `127.0.0.1:${temporalPort}`;
    const key = `ingest-${randomBytes(12).toString('hex')}`;
    const operatorKey = `operator-${randomBytes(12).toString('hex')}`;
    const parts = { api: true, worker: false, embedded: false };
    const config = loadConfig(
      { TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, API_KEYS: `${key}:ingest,${operatorKey}:operator`, PORT: String(apiPort), HOST: '127.0.0.1' },
      parts,
    );
    const logged: string[] = [];
    system = await startSystem(config, parts, createLogger('info', { destination: { write: (line: string) => logged.push(line) } }));
    // Nothing answers: the boot goes on after its grace instead of the client's whole connect timeout.
    expect(logged.join('')).toContain(`Temporal at ${address} has not answered within 2 s`);
    // When the connect attempt gives up (its timeout, 10 s), why: nothing listens there, so the line does not send anyone to TLS.
    const said = await eventually(async () => logged.find((l) => l.includes(`Temporal at ${address} does not answer`)), 30_000);
    expect(said).toContain(`no Temporal server answered at ${address}: nothing accepts connections there`);
    expect(said).not.toContain('TLS');

    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const res = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ id: 'e-1', type: 'order.completed', userId: 'u-1' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1, results: [{ id: 'e-1', status: 'accepted', journeys: ['journey:welcome:u-1'] }] });
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: false } } });
    // The campaigns page still lists the campaigns: the entries and journeys in states it counts, and no running count (Temporal did not answer).
    await new TransitionsRepository(db.dataSource).record({
      idempotencyKey: 'earlier-entry',
      campaignKey: 'welcome',
      campaignVersion: 1,
      userId: 'earlier',
      workflowId: 'journey:welcome:earlier',
      fromState: null,
      toState: 'waiting',
      at: new Date().toISOString(),
      cause: 'test',
    });
    const listed = await fetch(`${baseUrl}/v1/campaigns?counts=true`, { headers: { authorization: `Bearer ${operatorKey}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ campaigns: expect.arrayContaining([expect.objectContaining({ key: 'welcome', counts: { entered: 1, current: 1, running: null } })]) });
    // Pausing and activating a campaign that enters on events needs no Temporal (it has no Schedule to keep in line);
    // a campaign that enters by schedule answers 503 with why, its status stored, to be repeated.
    const change = (key: string, action: string) =>
      fetch(`${baseUrl}/v1/campaigns/${key}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` }, body: '{}' });
    expect((await change('welcome', 'pause')).status).toBe(200);
    expect((await change('welcome', 'activate')).status).toBe(200);
    const scheduled = await change('nightly', 'pause');
    expect({ status: scheduled.status, body: await scheduled.json() }).toMatchObject({ status: 503, body: { error: { code: 'temporal_unavailable', message: expect.stringContaining('batch-entry schedule could not be updated') } } });
    // Marked as owing Temporal its Schedule: the campaigns that needed no Temporal were settled at once.
    expect(await db.dataSource.query(`select campaign_key from campaign_temporal_marks order by campaign_key`)).toEqual([{ campaign_key: 'nightly' }]);
    const pending = await db.dataSource.query(`select delivered_at, outcome from signal_outbox where event_id = 'e-1'`);
    expect(pending).toEqual([{ delivered_at: null, outcome: null }]);

    const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    temporal = await startDevServer({ binary, port: temporalPort, uiPort: 0, ui: false, namespace: 'default', searchAttributes: false });
    connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const description = await eventually(() => client.workflow.getHandle('journey:welcome:u-1').describe().catch(() => undefined), 90_000);
    const attributes = Object.fromEntries(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    expect(attributes).toMatchObject({ CampaignKey: 'welcome', UserId: 'u-1', CampaignVersion: 1 });
    expect(logged.join('')).toContain(`Temporal at ${address} answers: search attributes registered`);
    const delivered = await eventually(async () => {
      const rows: Array<{ outcome: string | null }> = await db!.dataSource.query(`select outcome from signal_outbox where event_id = 'e-1'`);
      return rows[0]?.outcome ? rows : undefined;
    });
    expect(delivered).toEqual([{ outcome: 'delivered' }]);

    // The pause stored during the outage left the Schedule behind (there is none on this new cluster): the sweep every
    // API instance runs (this one's own may have run already) brings it in line once Temporal answers, with nobody repeating the request.
    const schedule = client.schedule.getHandle(batchScheduleId('nightly'));
    const sweep = new CampaignTemporalSweep(
      new CampaignsRepository(db.dataSource),
      new BatchSchedules(client, config),
      new PlanStore(new JourneyContextRepository(db.dataSource)),
      new JourneyGateway(client, config.temporal.taskQueue),
      new Registry(),
    );
    expect(await sweep.sweep(0)).toBe(0);
    expect((await schedule.describe()).state.paused).toBe(true);
    expect(await db.dataSource.query(`select campaign_key from campaign_temporal_marks`)).toEqual([]);
  }, 180_000);

  it('starts no journey while the search attributes are not known to be registered: the start fails as in an outage, to be retried', async () => {
    const client = new Client({ connection: connection! });
    const gateway = new JourneyGateway(client, 'kairos-journeys', undefined, () => false);
    const event = (id: string, type: string, userId: string) => ({ version: 1 as const, id, type, userId, occurredAt: new Date().toISOString(), properties: {} });
    const refused: unknown = await gateway
      .deliver({ kind: 'start', workflowId: 'journey:welcome:u-2', campaignKey: 'welcome', campaignVersion: 1, userId: 'u-2', event: event('e-2', 'order.completed', 'u-2') })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TemporalUnreachableError);
    expect(isConnectivityError(refused)).toBe(true);
    await expect(client.workflow.getHandle('journey:welcome:u-2').describe()).rejects.toThrow(WorkflowNotFoundError);
    // A signal to a running journey needs no search attributes.
    expect(await gateway.deliver({ kind: 'signal', workflowId: 'journey:welcome:u-1', campaignKey: 'welcome', campaignVersion: 1, userId: 'u-1', event: event('e-3', 'order.paid', 'u-1') })).toBe('delivered');
  });

  it('a worker still needs Temporal to boot, and says which address did not answer', async () => {
    const worker = { api: false, worker: true, embedded: false };
    const address = `127.0.0.1:${await freePort()}`;
    const config = loadConfig({ TEMPORAL_ADDRESS: address, DATABASE_URL: db!.url, WEBHOOK_UNSIGNED: 'allow', WORKER_METRICS_PORT: '0' }, worker);
    const refused: unknown = await startSystem(config, worker, createLogger('silent')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TemporalUnreachableError);
    expect((refused as Error).message).toMatch(new RegExp(`^no Temporal server answered at ${address}: nothing accepts connections there \\(`));
    expect((refused as Error).message).not.toMatch(/TLS/);
  }, 60_000);

  it('a port that is taken stops the boot with the variable that sets it (PORT, WORKER_METRICS_PORT), not a bare EADDRINUSE', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = String((taken.address() as AddressInfo).port);
    try {
      // The first test's API still listens on this database: only this boot's own connection must be gone.
      const listening = async () =>
        (await db!.dataSource.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1`, [LISTENER_APPLICATION_NAME]))[0].n as number;
      const listeningBefore = await listening();
      const api = { api: true, worker: false, embedded: false };
      const apiConfig = loadConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, DATABASE_URL: db!.url, API_KEYS: `taken-port-${randomBytes(12).toString('hex')}:ingest`, PORT: port }, api);
      const refused: unknown = await startSystem(apiConfig, api, createLogger('silent')).catch((err: unknown) => err);
      expect((refused as Error).message).toBe(`port ${port} (PORT) is already in use: stop what listens there, or set PORT to a free port`);
      // What the refused boot had started is stopped, its LISTEN connection included (left open, it kept retrying after the suite).
      expect(await eventually(async () => ((await listening()) === listeningBefore ? listeningBefore : undefined), 10_000)).toBe(listeningBefore);
      const worker = { api: false, worker: true, embedded: false };
      const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS!;
      const workerConfig = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: `taken-port-${process.pid}`, DATABASE_URL: db!.url, WEBHOOK_UNSIGNED: 'allow', WORKER_METRICS_PORT: port }, worker);
      const stopped: unknown = await startSystem(workerConfig, worker, createLogger('silent')).catch((err: unknown) => err);
      expect((stopped as Error).message).toBe(`port ${port} (WORKER_METRICS_PORT) is already in use: stop what listens there, or set WORKER_METRICS_PORT to a free port`);
      // Stopped before its worker polled: no task of this queue can have gone to a process that was failing to boot.
      const asked = await Connection.connect({ address });
      try {
        const pollers = await Promise.all(
          [1, 2].map(async (taskQueueType) => (await asked.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: `taken-port-${process.pid}` }, taskQueueType })).pollers ?? []),
        );
        expect(pollers.flat()).toEqual([]);
      } finally {
        await asked.close();
      }
    } finally {
      taken.close();
    }
  }, 60_000);

  it('with TLS on towards a server that speaks plaintext, says that something listens and points at TLS', async () => {
    const worker = { api: false, worker: true, embedded: false };
    // The suites' own dev server: it listens, in plaintext.
    const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS!;
    const config = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_SERVER_NAME: 'temporal', DATABASE_URL: db!.url, WEBHOOK_UNSIGNED: 'allow', WORKER_METRICS_PORT: '0' }, worker);
    const refused: unknown = await startSystem(config, worker, createLogger('silent')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TemporalUnreachableError);
    expect((refused as Error).message).toMatch(
      new RegExp(`^no Temporal server answered at ${address}: something accepts connections there but made no gRPC connection; TLS is on \\(TEMPORAL_TLS_\\* or an API key\\)`),
    );
  }, 60_000);
});
