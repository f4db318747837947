import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import { composeKairos, type Kairos } from '../../src/composition/compose-kairos';
import { loadConfig } from '../../src/config/config';
import type { JourneyEvent } from '../../src/domain/event';
import type { JourneyView } from '../../src/workflows/journey/contract';
import { createTestDatabase, type TestDatabase } from './test-database';
import { eventually } from './system-under-test';
import { sharedWorkflowBundle } from './shared-workflow-bundle';

export interface JourneyHarness {
  db: TestDatabase;
  client: Client;
  kairos: Kairos;
  taskQueue: string;
  /** Stores a campaign definition as a new version (campaigns + campaign_versions) and returns the version. */
  seedCampaign(definition: Record<string, unknown> & { key: string }): Promise<number>;
  /** Delivers an event as the API would: `start` may create the journey. */
  send(campaign: { key: string; version: number }, event: Partial<JourneyEvent> & { id: string; type: string; userId: string }, kind?: 'start' | 'signal'): Promise<string>;
  handle(campaignKey: string, userId: string): WorkflowHandle;
  view(campaignKey: string, userId: string): Promise<JourneyView>;
  /** Polls the `state` query until `predicate` holds. */
  waitForView(campaignKey: string, userId: string, predicate: (v: JourneyView) => boolean, timeoutMs?: number): Promise<JourneyView>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** A real worker on its own task queue and database, on the shared test Temporal server. */
export async function startJourneyHarness(
  opts: { activityDeps?: Omit<ActivityDeps, 'dataSource' | 'plans' | 'journeys'>; workflowBundlePath?: string } = {},
): Promise<JourneyHarness> {
  const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('KAIROS_TEST_TEMPORAL_ADDRESS is not set: run through the integration jest project.');
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({ logger: new DefaultLogger('WARN') });
  }
  const taskQueue = `kairos-journeys-${randomBytes(4).toString('hex')}`;
  const db = await createTestDatabase();
  const config = loadConfig({ TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
  const kairos = await composeKairos(config, { dataSource: db.dataSource, temporal: { address, namespace: 'default' }, activities: opts.activityDeps ?? {} });
  const { client, journeys } = kairos;
  const worker = await kairos.createWorker({ workflowBundlePath: opts.workflowBundlePath ?? sharedWorkflowBundle() });
  const running = worker.run();

  const harness: JourneyHarness = {
    db,
    client,
    kairos,
    taskQueue,
    async seedCampaign(definition) {
      const key = definition.key;
      await db.dataSource.query(
        `insert into campaigns (key, name, status) values ($1, $2, 'active') on conflict (key) do nothing`,
        [key, String(definition.name ?? key)],
      );
      const [{ version }] = await db.dataSource.query(
        `insert into campaign_versions (campaign_key, version, definition_as_sent)
         select $1, coalesce(max(version), 0) + 1, $2::json from campaign_versions where campaign_key = $1
         returning version`,
        [key, JSON.stringify(definition)],
      );
      await db.dataSource.query(`update campaigns set active_version = $2 where key = $1`, [key, version]);
      return version as number;
    },
    async send(campaign, e, kind = 'start') {
      const event: JourneyEvent = { version: 1, occurredAt: new Date().toISOString(), properties: {}, ...e };
      const workflowId = journeys.idOf(campaign.key, e.userId);
      await journeys.deliver({ kind, workflowId, campaignKey: campaign.key, campaignVersion: campaign.version, userId: e.userId, event });
      return workflowId;
    },
    handle: (campaignKey, userId) => client.workflow.getHandle(journeys.idOf(campaignKey, userId)),
    view: (campaignKey, userId) => journeys.state(journeys.idOf(campaignKey, userId)),
    waitForView: (campaignKey, userId, predicate, timeoutMs = 30_000) =>
      eventually(async () => {
        const v = await harness.view(campaignKey, userId).catch(() => undefined);
        return v && predicate(v) ? v : undefined;
      }, timeoutMs),
    async stop() {
      worker.shutdown();
      await running;
      await kairos.close();
      await db.drop();
    },
  };
  return harness;
}
